using System.Text.RegularExpressions;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Practice;
using CallReview.Tests.Web.Features.Review;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>
/// Scoring in a real browser, on a desktop and on a phone: a reviewer cites annotations on a criterion from a
/// checkbox list, and a supervisor who takes part in her own calibration session finds her blind review from
/// the session's status page, seeing nobody else's pins there.
/// </summary>
[Collection(BrowserJourneys.Name)]
public sealed class ScorecardJourneyTests(ScorecardJourneyTests.App app) : IClassFixture<ScorecardJourneyTests.App>
{
    private const string Password = "scorecard-pass-123";

    public sealed class App : KestrelApp, IAsyncLifetime
    {
        /// <summary>A call per screen width, so each run of the theory starts from an empty scorecard.</summary>
        public Dictionary<int, int> CallIds { get; } = [];

        /// <summary>A call per screen width with more annotations than one page of cards.</summary>
        public Dictionary<int, int> CrowdedCallIds { get; } = [];

        public async Task InitializeAsync()
        {
            _ = BaseUrl;
            var admin = await AdminAsync();
            var team = await admin.CreateTeamAsync("Amber");
            await admin.CreateUserAsync("rae@test.local", "Rae Reviewer", Password, ["reviewer"], team);
            await admin.CreateUserAsync("sue@test.local", "Sue Supervisor", Password, ["supervisor"], team);
            var rae = await this.UserIdAsync("rae@test.local");
            foreach (var width in new[] { 1366, 390 })
            {
                var callId = CallIds[width] = await this.InsertCallAsync($"Fee call {width}", team, null, withAudio: true);
                await this.InsertAnnotationAsync(callId, rae, "unmet", 12_000, null, "information-not-given", "", "Explain the fee.");
                await this.InsertAnnotationAsync(callId, rae, "unmet", 18_000, null, "no-ownership", "", "Own the refund.");
                var crowded = CrowdedCallIds[width] = await this.InsertCallAsync($"Crowded call {width}", team, null, withAudio: true);
                for (var i = 0; i < 30; i++)
                    await this.InsertAnnotationAsync(crowded, rae, "unmet", 500 + 900 * i, null, i == 29 ? "rude-tone" : "timeliness", $"pin {i:00}", "Say how long.");
            }
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    public static TheoryData<int, int> Screens => new() { { 1366, 900 }, { 390, 844 } };

    [Theory, MemberData(nameof(Screens))]
    public async Task Reviewer_CitesAnAnnotationFromTheCheckboxList_SavedAndCounted(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", Password);
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync($"/review/{app.CallIds[width]}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();

        var criterion = page.Locator("#scorecard fieldset.criterion").First;
        var cites = criterion.Locator("details.cites");
        Assert.Contains("none cited", await cites.Locator("summary").InnerTextAsync());
        await cites.Locator("summary").ClickAsync();
        var fee = cites.GetByLabel(new Regex("0:12.*Information not given"));
        await fee.CheckAsync();
        Assert.Contains("1 cited", await cites.Locator("summary").InnerTextAsync());
        // Every choice is readable: a full line each, inside the screen.
        foreach (var label in await cites.Locator("label").AllAsync())
        {
            var box = await label.BoundingBoxAsync();
            Assert.True(box!.X >= 0 && box.X + box.Width <= width, $"a cite choice runs off a {width} px screen");
        }
        await Chromium.ScreenshotAsync(page, $"scorecard-cites-{width}x{height}");

        foreach (var na in await page.Locator("#scorecard input[type=radio][value=na]").AllAsync())
            await na.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save scorecard" }).ClickAsync();
        await page.Locator("#scorecard [data-score]").WaitForAsync();

        var saved = page.Locator("#scorecard fieldset.criterion").First.Locator("details.cites");
        Assert.Contains("1 cited", await saved.Locator("summary").InnerTextAsync());
        Assert.True(await saved.GetByLabel(new Regex("0:12.*Information not given")).IsCheckedAsync());
        await Axe.AssertAccessibleAsync(page);
        chromium.AssertNoPolicyViolations();
    }

    [Theory, MemberData(nameof(Screens))]
    public async Task SupervisorTakingPart_StatusPageLeadsToHerBlindReview_WithNobodyElsesPins(int width, int height)
    {
        await using var rae = await Chromium.LaunchAsync(app.BaseUrl);
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("sue@test.local", Password);
        await page.SetViewportSizeAsync(width, height);

        await page.GotoAsync("/calibration");
        await AssertHeadingsAtCardTopAsync(page);
        await Chromium.ScreenshotAsync(page, $"calibration-{width}x{height}");
        await page.Locator("#CallId").SelectOptionAsync(app.CallIds[width].ToString());
        await page.GetByLabel("Title (optional)").FillAsync($"Fee call calibration {width}");
        await page.GetByLabel("Rae Reviewer").CheckAsync();
        await page.GetByLabel("Sue Supervisor").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start calibration" }).ClickAsync();
        await page.WaitForPageAsync(new Regex(@"/calibration/\d+/results$"));
        var session = Regex.Match(page.Url, @"/calibration/(\d+)/results").Groups[1].Value;

        // In the list, her "Review blind" button and the row's "Status" link are two targets with space between them.
        await page.GotoAsync("/calibration");
        var row = page.Locator("tbody tr", new() { HasText = $"Fee call calibration {width}" });
        var blind = (await row.GetByRole(AriaRole.Link, new() { Name = "Review blind" }).BoundingBoxAsync())!;
        var status = (await row.GetByRole(AriaRole.Link, new() { Name = "Status" }).BoundingBoxAsync())!;
        Assert.True(status.X >= blind.X + blind.Width + 8 || status.Y >= blind.Y + blind.Height,
            $"'Status' at x {status.X:0}, y {status.Y:0} touches 'Review blind' ending at x {blind.X + blind.Width:0}");
        await Chromium.ScreenshotAsync(page, $"calibration-list-{width}x{height}");
        await page.GotoAsync($"/calibration/{session}/results");

        // Rae pins a moment in the session; Sue must not see it before everyone has submitted.
        var raesPage = await rae.SignedInPageAsync("rae@test.local", Password);
        await raesPage.GotoAsync($"/calibration/{session}");
        await raesPage.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        await raesPage.Keyboard.PressAsync("m");
        var form = raesPage.Locator("#annotation-form-slot form.annotation-form");
        await form.Locator("select[name=category]").SelectOptionAsync("no-ownership");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save annotation" }).ClickAsync();
        await raesPage.Locator("#annotations li.annotation").WaitForAsync();

        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator("[data-marker]").CountAsync());
        await Axe.AssertAccessibleAsync(page);
        await AssertHeadingsAtCardTopAsync(page);
        await Chromium.ScreenshotAsync(page, $"calibration-status-{width}x{height}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Review blind" }).ClickAsync();
        await page.WaitForPageAsync(new Regex($@"/calibration/{session}$"));
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-marker]").CountAsync());
        chromium.AssertNoPolicyViolations();
    }

    [Theory, MemberData(nameof(Screens))]
    public async Task Reviewer_PressesEnterOnAMarkersLabel_PlayheadGoesThereAndItsCardIsShown(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", Password);
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync($"/review/{app.CrowdedCallIds[width]}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        // The card is flashed for a moment: the page notes each card it flashes, so a busy machine cannot miss it.
        await page.EvaluateAsync("""
            () => { window.flashed = []; new MutationObserver(changes => changes.forEach(c => c.target.classList.contains('flash-item') && flashed.push(c.target.id)))
              .observe(document.body, { attributes: true, attributeFilter: ['class'], subtree: true }); }
            """);

        // pin 00, half a second into the call: its label is a button (keyboard) in the label strip, the first in its lane.
        var id = await page.Locator("#annotation-markers [data-marker][data-start='0.5']").GetAttributeAsync("data-id");
        var label = page.Locator("[data-timeline] .marker-label[aria-label^='0:00.5 ']");
        await label.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => Math.abs(document.querySelector('[data-timeline]').timeline.currentTime() - 0.5) < 0.05");
        await page.WaitForFunctionAsync($"() => window.flashed.includes('annotation-{id}')");
        var card = await page.Locator($"#annotation-{id}").BoundingBoxAsync();
        Assert.True(card!.Y >= 0 && card.Y + card.Height <= height, $"the card of the marker is not in view at {width}x{height}");
        chromium.AssertNoPolicyViolations();
    }

    /// <summary>A card's first heading sits at its padding: no heading margin adds space above it.</summary>
    private static async Task AssertHeadingsAtCardTopAsync(IPage page)
    {
        var gaps = await page.Locator(".card > h2:first-child").EvaluateAllAsync<double[]>(
            "hs => hs.map(h => { const card = h.parentElement, style = getComputedStyle(card); return h.getBoundingClientRect().top - card.getBoundingClientRect().top - parseFloat(style.borderTopWidth) - parseFloat(style.paddingTop); })");
        Assert.NotEmpty(gaps);
        Assert.All(gaps, gap => Assert.InRange(gap, -0.5, 0.5));
    }

    [Theory, MemberData(nameof(Screens))]
    public async Task Reviewer_CallWithMoreAnnotationsThanAPage_ShowsMoreCardsAndCitesAnyOfThem(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", Password);
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync($"/review/{app.CrowdedCallIds[width]}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();

        Assert.Equal(25, await page.Locator("#annotations li.annotation").CountAsync());
        Assert.Equal(30, await page.Locator("[data-timeline] .marker-label").CountAsync());
        var more = page.GetByRole(AriaRole.Button, new() { Name = "Show 5 more (5 not shown)" });
        await more.ScrollIntoViewIfNeededAsync();
        await Chromium.ScreenshotAsync(page, $"review-show-more-{width}x{height}");
        // The answer is the next page's cards, appended: the panel itself stays.
        await page.EvaluateAsync("() => document.querySelector('#annotations').dataset.kept = 'more'");
        await more.ClickAsync();
        await page.Locator("#annotations li.annotation", new() { HasText = "pin 29" }).WaitForAsync();
        Assert.Equal("more", await page.Locator("#annotations").GetAttributeAsync("data-kept"));
        Assert.Equal(30, await page.Locator("#annotations li.annotation").CountAsync());
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"pin {i:00}"), await page.Locator("#annotations li.annotation blockquote").AllInnerTextsAsync());
        Assert.Equal("(30)", await page.Locator("#annotations-total").InnerTextAsync());
        Assert.StartsWith("30.", await page.Locator("#annotations-cards").InputValueAsync());
        Assert.Equal(0, await page.Locator("#annotations-more button").CountAsync());
        Assert.Equal(30, await page.Locator("[data-timeline] .marker-label").CountAsync());

        // The last annotation's card was not on the page at first; its cite checkbox comes from the marker list.
        var cites = page.Locator("#scorecard fieldset.criterion").First.Locator("details.cites");
        await cites.Locator("summary").ClickAsync();
        await cites.GetByLabel(new Regex(@"0:26\.6 Rude tone")).CheckAsync();
        Assert.Contains("1 cited", await cites.Locator("summary").InnerTextAsync());
        Assert.Equal(30, await cites.Locator("input[type=checkbox]").CountAsync());
        await Chromium.ScreenshotAsync(page, $"review-cites-{width}x{height}");
        await Axe.AssertAccessibleAsync(page);

        // A new annotation after "show more": the answer is only its parts (the panel itself is not swapped), its card
        // goes first among the 30 shown, and the panel then says it shows 31.
        await page.EvaluateAsync("() => document.querySelector('#annotations').dataset.kept = 'yes'");
        await page.Locator("#annotations [data-mark-now]").ClickAsync();
        var form = page.Locator("#annotation-form-slot form.annotation-form");
        await form.Locator("input[name=start]").FillAsync("0.2");
        await form.Locator("select[name=category]").SelectOptionAsync("unresolved");
        await form.Locator("textarea[name=quote]").FillAsync("pin first");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save annotation" }).ClickAsync();
        await page.Locator("#annotations li.annotation[data-uncover=true]").WaitForAsync();
        Assert.Equal("yes", await page.Locator("#annotations").GetAttributeAsync("data-kept"));
        Assert.Equal(31, await page.Locator("#annotations li.annotation").CountAsync());
        Assert.Contains("pin first", await page.Locator("#annotations li.annotation").First.InnerTextAsync());
        Assert.Equal("(31)", await page.Locator("#annotations-total").InnerTextAsync());
        Assert.StartsWith("31.", await page.Locator("#annotations-cards").InputValueAsync());
        await Chromium.ScreenshotAsync(page, $"review-show-more-added-{width}x{height}");
        chromium.AssertNoPolicyViolations();
    }
}
