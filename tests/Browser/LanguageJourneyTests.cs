using CallReview.Tests.Web;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Practice;
using CallReview.Tests.Web.Features.Review;
using CallReview.Tests.Web.Features.Shared;
using CallReview.Tests.Web.Features.Signals;
using CallReview.Db;
using CallReview.Transcription.Jobs;
using CallReview.Web.Features.Shared;
using CallReview.Web.Features.Signals;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>
/// Issue 17's yardsticks in a real browser: a Hebrew-speaking learner does the practice flow right to left in Hebrew
/// (the timeline still runs left to right), and a Romanian reviewer reviews a call with no English interface text,
/// on a desktop and a phone.
/// </summary>
[Collection(BrowserJourneys.Name)]
public sealed class LanguageJourneyTests(LanguageJourneyTests.App app) : IClassFixture<LanguageJourneyTests.App>
{
    private const string Password = "language-pass-123";

    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public int ExerciseId { get; private set; }
        public int ReviewCallId { get; private set; }
        public int MixedCallId { get; private set; }
        public int TeamId { get; private set; }

        public async Task InitializeAsync()
        {
            _ = BaseUrl;
            var admin = await AdminAsync();
            var team = TeamId = await admin.CreateTeamAsync("Green");
            await admin.CreateUserAsync("rae@test.local", "Rae Reviewer", Password, ["reviewer"], team);
            // A learner per screen: each does the exercise once.
            await admin.CreateUserAsync("dana1366@test.local", "Dana Learner", Password, ["learner"], team);
            await admin.CreateUserAsync("dana390@test.local", "Dan Learner", Password, ["learner"], team);
            var reviewerId = await this.UserIdAsync("rae@test.local");

            var practiceCall = await this.InsertCallAsync("Refund call", team, null, withAudio: true);
            var answer = await this.InsertAnnotationAsync(practiceCall, reviewerId, "unmet", 18_000, 21_000, "no-ownership", "Refunds take time", "Own the refund and give a date.");
            var rae = await SignedInAsync("rae@test.local", Password);
            ExerciseId = await rae.SaveExerciseAsync(
            [
                new("Kind", "spot"), new("CallId", practiceCall.ToString()), new("Title", "Spot the brush-off"), new("AnswerIds", answer.ToString()),
                new("ShowTranscript", "true"), new("FullCreditSeconds", "4"), new("ZeroCreditSeconds", "15"), new("Difficulty", "1"),
                new("ModelAnswer", "The agent should have owned the refund."), new("CritiqueMinChars", "20"), new("TeamIds", team.ToString()), new("Publish", "true"),
            ]);

            // A call with suggestions in its lane and an annotation in its list.
            ReviewCallId = await this.InsertCallAsync("Invoice call", team, null, SignalsFixture.Turns, durationSeconds: 25, withAudio: true);
            await SignalsFixture.WriteSpeechPeaksAsync(this, ReviewCallId, SignalsFixture.Turns, 25);
            using var scope = Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<ComputeSignals.Handler>().RunAsync(ReviewCallId, default);
            await this.InsertAnnotationAsync(ReviewCallId, reviewerId, "unmet", 3_500, 6_000, "wrong-information", "My invoice is wrong again.", "Check the tariff before answering.");

            // A call in English and Hebrew: each transcript line keeps its own direction.
            MixedCallId = await this.InsertCallAsync("Mixed call", team, null,
            [
                new("agent", 0, 4, "Hello, thanks for calling. How can I help?"),
                new("customer", 4.5, 9, "שלום, החשבונית שלי שגויה שוב."),
                new("agent", 9.5, 14, "I am sorry to hear that, let me check the invoice."),
            ], durationSeconds: 15, withAudio: true);

            // A call whose recording is gone from the data folder: the worker fails its transcription.
            var lost = await this.InsertCallAsync("Lost recording", team, null);
            await scope.ServiceProvider.GetRequiredService<TranscriptionQueue>().EnqueueAsync(lost, "auto", null, null);
            await Services.GetRequiredService<TranscriptionWorker>().RunAsync(stopWhenIdle: true, CancellationToken.None);

            // A learner with badges, and a failed sign-in for the audit trail.
            await admin.CreateUserAsync("hila@test.local", "Hila Learner", Password, ["learner"], team);
            var hila = await this.UserIdAsync("hila@test.local");
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            foreach (var (badge, detail) in new[] { ("first-perfect", ""), ("streak-7", ""), ("category-mastery", "no-ownership"), ("shared-story", "") })
                await connection.ExecuteAsync("INSERT INTO UserBadge (UserId, BadgeCode, Detail, AwardedAt) VALUES (@hila, @badge, @detail, @at)",
                    new { hila, badge, detail, at = DateTimeOffset.UtcNow });
            using var stranger = NewClient();
            await stranger.SignInAsync("mallory@test.local", "wrong-password-1");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    public static TheoryData<int, int> Screens => new() { { 1366, 900 }, { 390, 844 } };

    [Theory, MemberData(nameof(Screens))]
    public async Task HebrewLearner_DoesThePracticeFlow_RightToLeftInHebrew_TimelineLeftToRight(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await SignedInInAsync(chromium, $"dana{width}@test.local", "he");
        await page.SetViewportSizeAsync(width, height);

        await page.GotoAsync("/practice");
        await AssertInLanguageAsync(page, "he", "rtl");
        await Chromium.ScreenshotAsync(page, $"he-practice-{width}");

        await page.Locator("[data-queue] a", new() { HasText = "Spot the brush-off" }).ClickAsync();
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        await AssertInLanguageAsync(page, "he", "rtl");
        // Time runs left to right in every language: the timeline and its waveform are not mirrored.
        Assert.Equal("ltr", await page.Locator("[data-timeline]").EvaluateAsync<string>("e => getComputedStyle(e).direction"));
        Assert.Equal("ltr", await page.Locator(".turn > [dir]").First.EvaluateAsync<string>("e => getComputedStyle(e).direction"));
        await Chromium.ScreenshotAsync(page, $"he-exercise-{width}");

        await page.Locator(".turn[data-start='17.5']").ClickAsync();
        await page.WaitForFunctionAsync("() => Math.abs(document.querySelector('[data-timeline]').timeline.currentTime() - 17.5) < 0.3");
        await page.Keyboard.PressAsync("p");
        var pin = page.Locator("[data-pin-list] li.pin");
        await pin.WaitForAsync();
        // The pin at 17.5 s of a 30 s call sits 58 % of the way from the waveform's left edge, not 42 % (mirrored).
        var at = await page.Locator("[data-marker-id^='pin-']").EvaluateAsync<double>(
            "m => { const w = document.querySelector('[data-wave]').getBoundingClientRect(), r = m.getBoundingClientRect(); return (r.left - w.left) / w.width; }");
        Assert.InRange(at, 0.5, 0.66);
        await pin.Locator("select").SelectOptionAsync("no-ownership");
        await page.Locator("textarea[name=Critique]").FillAsync("The agent brushed off the refund and owned nothing.");
        await page.GetByRole(AriaRole.Button, new() { Name = EnglishPhrases.Read("he")["Submit"] }).ClickAsync();

        await page.WaitForPageAsync(url => url.Contains("/practice/attempts/"));
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        Assert.Equal("100", await page.Locator("[data-score]").GetAttributeAsync("data-score"));
        await AssertInLanguageAsync(page, "he", "rtl");
        await MarkerLabels.AssertApartAsync(page, expected: 2);
        // A time range keeps its order (start–end) inside right-to-left text.
        Assert.Equal("ltr", await page.Locator(".answers .time").First.EvaluateAsync<string>("e => getComputedStyle(e).direction"));
        await Chromium.ScreenshotAsync(page, $"he-result-{width}");

        await page.GotoAsync("/practice/leaderboard");
        await AssertInLanguageAsync(page, "he", "rtl");
        await Chromium.ScreenshotAsync(page, $"he-leaderboard-{width}");
        chromium.AssertNoPolicyViolations();
    }

    [Theory, MemberData(nameof(Screens))]
    public async Task RomanianReviewer_ReviewsACall_WithNoEnglishOnThePage(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await SignedInInAsync(chromium, "rae@test.local", "ro");
        await page.SetViewportSizeAsync(width, height);

        await page.GotoAsync("/calls");
        await AssertInLanguageAsync(page, "ro", "ltr");
        await page.GotoAsync("/review");
        await AssertInLanguageAsync(page, "ro", "ltr");

        await page.GotoAsync($"/review/{app.ReviewCallId}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        await page.Locator("[data-signal-lane] .signal-item").First.WaitForAsync();
        Assert.Contains("tăcere 7,4 s > 3 s", await page.Locator("[data-signal-lane]").InnerTextAsync());
        Assert.Equal("0:00,0", await page.Locator("[data-current]").TextContentAsync());
        await AssertInLanguageAsync(page, "ro", "ltr");
        await Chromium.ScreenshotAsync(page, $"ro-review-{width}");

        // The annotation form, opened from the keyboard.
        await page.Keyboard.PressAsync("m");
        var form = page.Locator("#annotation-form-slot form.annotation-form");
        await form.WaitForAsync();
        await AssertInLanguageAsync(page, "ro", "ltr");
        await form.ScrollIntoViewIfNeededAsync();
        await Chromium.ScreenshotAsync(page, $"ro-annotation-{width}");
        chromium.AssertNoPolicyViolations();
    }

    [Theory, MemberData(nameof(Screens))]
    public async Task HebrewReviewer_TranscriptLinesRunInTheirOwnDirection_TimelineLeftToRight(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await SignedInInAsync(chromium, "rae@test.local", "he");
        await page.SetViewportSizeAsync(width, height);

        await page.GotoAsync($"/review/{app.MixedCallId}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        await AssertInLanguageAsync(page, "he", "rtl");
        Assert.Equal("ltr", await page.Locator("[data-timeline]").EvaluateAsync<string>("e => getComputedStyle(e).direction"));
        // Each line's words start on their own side: the time sits left of an English line's words (their first line box:
        // they wrap on a phone), right of a Hebrew one's, at that edge of the list. The speaker bar stays on the page's
        // start side (the right) on every line, whatever its words.
        var lines = await page.Locator(".turn").EvaluateAllAsync<string[]>("""
            lines => lines.map(li => {
              const time = li.querySelector('time').getBoundingClientRect(), words = li.querySelector('span').getClientRects()[0], box = li.getBoundingClientRect();
              const side = time.right <= words.left ? 'ltr' : words.right <= time.left ? 'rtl' : 'overlap';
              const atEdge = side === 'ltr' ? time.left - box.left < 20 : box.right - time.right < 20;
              const style = getComputedStyle(li), left = parseFloat(style.borderLeftWidth), right = parseFloat(style.borderRightWidth);
              const bar = left > 0 && right === 0 ? 'bar-left' : right > 0 && left === 0 ? 'bar-right' : 'bar-' + left + '/' + right;
              return getComputedStyle(li.querySelector('[dir]')).direction + ' ' + side + ' ' + atEdge + ' ' + bar;
            })
            """);
        Assert.Equal(["ltr ltr true bar-right", "rtl rtl true bar-right", "ltr ltr true bar-right"], lines);
        await page.Locator("[data-transcript]").ScrollIntoViewIfNeededAsync();
        await Chromium.ScreenshotAsync(page, $"he-review-transcript-{width}");
        chromium.AssertNoPolicyViolations();
    }

    [Theory, MemberData(nameof(CulturesAndScreens))]
    public async Task Scorecard_InRomanianAndHebrew_NamesItsSectionsAndCriteriaInTheReadersLanguage(string culture, int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await SignedInInAsync(chromium, "rae@test.local", culture);
        await page.SetViewportSizeAsync(width, height);

        await page.GotoAsync($"/review/{app.ReviewCallId}");
        var scorecard = page.Locator("#scorecard");
        await scorecard.ScrollIntoViewIfNeededAsync();
        var text = await scorecard.InnerTextAsync();
        Assert.Contains(culture == "ro" ? "Cunoștințe" : "ידע", text);
        Assert.Contains(culture == "ro" ? "Empatie" : "אמפתיה", text);
        Assert.DoesNotContain("Knowledge", text);
        await AssertInLanguageAsync(page, culture, culture == "he" ? "rtl" : "ltr");
        await Chromium.ScreenshotAsync(page, $"{culture}-scorecard-{width}");
        chromium.AssertNoPolicyViolations();
    }

    [Theory, MemberData(nameof(Screens))]
    public async Task RomanianReviewer_CallsList_SaysWhyATranscriptionFailed_InRomanian(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await SignedInInAsync(chromium, "rae@test.local", "ro");
        await page.SetViewportSizeAsync(width, height);

        await page.GotoAsync("/calls");
        var row = page.Locator("table.calls tr", new() { HasText = "Lost recording" });
        Assert.Contains("Înregistrarea apelului lipsește din folderul de date.", await row.InnerTextAsync());
        Assert.Equal(0, await page.Locator(".error-detail").CountAsync());
        // The list never widens the page: on a phone each call is a card.
        Assert.Equal(0, await page.EvaluateAsync<int>("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"));
        await AssertInLanguageAsync(page, "ro", "ltr");
        await Chromium.ScreenshotAsync(page, $"ro-calls-failed-{width}");
        chromium.AssertNoPolicyViolations();
    }

    [Theory, MemberData(nameof(Screens))]
    public async Task HebrewLearner_SeesEachBadgeNamedAndDescribedInHebrew(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await SignedInInAsync(chromium, "hila@test.local", "he");
        await page.SetViewportSizeAsync(width, height);

        await page.GotoAsync("/practice");
        var badges = page.Locator("ul.badges");
        var text = await badges.InnerTextAsync();
        Assert.Contains("שיתפת בדיון איך טיפלת במצב.", text);
        Assert.Contains("תרגלת שבעה ימים ברצף.", text);
        Assert.DoesNotContain("Practised seven days in a row.", text);
        await AssertInLanguageAsync(page, "he", "rtl");
        await badges.ScrollIntoViewIfNeededAsync();
        await Chromium.ScreenshotAsync(page, $"he-badges-{width}");
        chromium.AssertNoPolicyViolations();
    }

    [Theory, MemberData(nameof(Screens))]
    public async Task CzechAdmin_AuditPage_NamesEachActionInCzech(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await SignedInInAsync(chromium, CallReviewApp.AdminEmail, "cs", CallReviewApp.AdminPassword);
        await page.SetViewportSizeAsync(width, height);

        await page.GotoAsync("/admin/audit");
        var table = await page.Locator("table.grid").InnerTextAsync();
        Assert.Contains("Neúspěšné přihlášení", table);
        Assert.Contains("Uživatel vytvořen", table);
        Assert.Contains("sign-in.failed", table);
        await AssertInLanguageAsync(page, "cs", "ltr");
        await Chromium.ScreenshotAsync(page, $"cs-audit-{width}");
        chromium.AssertNoPolicyViolations();
    }

    public static TheoryData<string, int, int> CulturesAndScreens => new() { { "ro", 1366, 900 }, { "ro", 390, 844 }, { "he", 1366, 900 }, { "he", 390, 844 } };

    [Theory, MemberData(nameof(CulturesAndScreens))]
    public async Task Admin_SetsARetentionPeriod_PagesAndNoticeInTheirLanguage(string culture, int width, int height)
    {
        var direction = culture == "he" ? "rtl" : "ltr";
        // A period of its own per run: setting it again needs a new preview and confirmation.
        var days = (culture == "he" ? 60 : 40) + (width > 1000 ? 0 : 1);
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await SignedInInAsync(chromium, CallReviewApp.AdminEmail, culture, CallReviewApp.AdminPassword);
        await page.SetViewportSizeAsync(width, height);

        await page.GotoAsync("/admin/retention");
        await AssertInLanguageAsync(page, culture, direction);
        await page.Locator($"#days-{app.TeamId}").FillAsync(days.ToString());
        await page.Locator($"form[action='/admin/retention/{app.TeamId}'] button[type=submit]").ClickAsync();
        await page.WaitForPageAsync($"**/admin/retention/{app.TeamId}/preview");
        await AssertInLanguageAsync(page, culture, direction);
        await Chromium.ScreenshotAsync(page, $"{culture}-retention-preview-{width}");

        await page.Locator($"form[action='/admin/retention/{app.TeamId}/confirm'] button[type=submit]").ClickAsync();
        await page.WaitForPageAsync("**/admin/retention");
        var notice = await page.Locator("p.flash").InnerTextAsync();
        Assert.Equal(string.Format(EnglishPhrases.Read(culture)[Plurals.Key("{1}: calls older than {0} days will lose their recording and have their transcript anonymised at the next retention run.", Plurals.Category(culture, days))], days, "Green"), notice);
        await AssertInLanguageAsync(page, culture, direction);
        await Chromium.ScreenshotAsync(page, $"{culture}-retention-{width}");
        chromium.AssertNoPolicyViolations();
    }

    /// <summary>Signs in (the sign-in page follows the browser: English) and picks the language on the account page.</summary>
    private static async Task<IPage> SignedInInAsync(Chromium chromium, string email, string culture, string password = Password)
    {
        var page = await chromium.SignedInPageAsync(email, password);
        await Chromium.ChooseLanguageAsync(page, culture);
        return page;
    }

    /// <summary>The page says its language and direction, and none of the interface's English phrases shows where the translation differs.</summary>
    private static async Task AssertInLanguageAsync(IPage page, string culture, string direction)
    {
        Assert.Equal(culture, await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(direction, await page.Locator("html").GetAttributeAsync("dir"));
        // What people read: text and read-out attributes, leaving out the call's own words (transcript, quotes,
        // the exercise's model answer and title), which are in the language the call was spoken in, and the audit
        // trail's details, kept (and hashed) as they were written.
        var shown = await page.EvaluateAsync<string>("""
            () => {
              const skip = '.transcript, blockquote, .quote, .expected, .model-answer, h1, [data-queue] a, .signal-text .muted, .audit-detail, textarea, script, style, select option:not(:checked)';
              const parts = [];
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
              for (let n = walker.currentNode; n; n = walker.nextNode()) {
                const element = n.nodeType === 1 ? n : n.parentElement;
                if (element.closest(skip)) continue;
                if (n.nodeType === 3) parts.push(n.textContent);
                else for (const a of ['title', 'aria-label', 'placeholder', 'alt']) if (n.hasAttribute(a)) parts.push(n.getAttribute(a));
              }
              return parts.join('\n').replace(/\s+/g, ' ');
            }
            """);
        var english = EnglishPhrases.Differing(culture).Where(p => shown.Contains(p, StringComparison.Ordinal)).ToList();
        Assert.True(english.Count == 0, $"English on {page.Url} in {culture}: {string.Join(" | ", english)}");
    }
}
