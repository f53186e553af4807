using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Practice;
using CallReview.Tests.Web.Features.Review;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>
/// The review page's timeline with pins close together, on a desktop and on a phone: marker labels never
/// print over each other, every label's full text is reachable by focus, and the sticky player neither
/// covers the field the browser reports as invalid nor takes most of a phone's screen; on a desktop the annotations
/// panel's heading stays under it while a long list of cards scrolls.
/// </summary>
[Collection(BrowserJourneys.Name)]
public sealed class TimelineLayoutTests(TimelineLayoutTests.App app) : IClassFixture<TimelineLayoutTests.App>
{
    private const string Password = "layout-pass-123";

    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public int CallId { get; private set; }

        /// <summary>A call of its own for the test that adds an annotation, so the pins above stay as they are.</summary>
        public int PanelsCallId { get; private set; }

        /// <summary>A call with more annotations than two pages of cards: the panel is taller than the screen.</summary>
        public int LongListCallId { get; private set; }

        /// <summary>A call of its own for the test that deletes a card while "show more" is on its way.</summary>
        public int QueueCallId { get; private set; }

        public async Task InitializeAsync()
        {
            _ = BaseUrl;
            var admin = await AdminAsync();
            var team = await admin.CreateTeamAsync("Blue");
            await admin.CreateUserAsync("rae@test.local", "Rae Reviewer", Password, ["reviewer"], team);
            CallId = await this.InsertCallAsync("Crowded call", team, null, withAudio: true);
            var rae = await this.UserIdAsync("rae@test.local");
            // Five pins within two seconds, and one at the very end of the call.
            string[] categories = ["information-not-given", "no-empathy", "not-listening", "missed-opportunity", "rude-tone"];
            for (var i = 0; i < categories.Length; i++)
                await this.InsertAnnotationAsync(CallId, rae, "unmet", 10_000 + i * 400, null, categories[i], "", "Say more.");
            await this.InsertAnnotationAsync(CallId, rae, "unmet", 29_600, null, "unresolved", "", "Resolve it.");
            PanelsCallId = await this.InsertCallAsync("Panels call", team, null, withAudio: true);
            for (var i = 0; i < 4; i++)
                await this.InsertAnnotationAsync(PanelsCallId, rae, "unmet", 4_000 + i * 6_000, null, categories[i], "", "Say more.");
            LongListCallId = await this.InsertCallAsync("Long list call", team, null, withAudio: true);
            for (var i = 0; i < 60; i++)
                await this.InsertAnnotationAsync(LongListCallId, rae, "unmet", 400 + i * 450, null, categories[i % categories.Length], $"pin {i:00}", "Say more.");
            QueueCallId = await this.InsertCallAsync("Queue call", team, null, withAudio: true);
            for (var i = 0; i < 30; i++)
                await this.InsertAnnotationAsync(QueueCallId, rae, "unmet", 400 + i * 900, null, categories[i % categories.Length], $"pin {i:00}", "Say more.");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    public static TheoryData<int, int> Screens => new() { { 1366, 900 }, { 390, 844 } };

    [Theory, MemberData(nameof(Screens))]
    public async Task ClosePins_LabelsDoNotOverlap_AndFocusShowsTheFullLabel(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", Password);
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync($"/review/{app.CallId}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();

        await MarkerLabels.AssertApartAsync(page, expected: 6);
        await Axe.AssertAccessibleAsync(page);
        await Chromium.ScreenshotAsync(page, $"review-close-pins-{width}x{height}");

        // Every pin can be reached from the keyboard and shows its whole label, even one collapsed to a dot.
        var last = page.Locator(".marker-label:visible").Last;
        await last.FocusAsync();
        Assert.Contains("Unresolved", await page.Locator("[data-label-detail]").InnerTextAsync());
    }

    [Theory, MemberData(nameof(Screens))]
    public async Task SavingWithoutCategory_TheInvalidFieldIsNotUnderThePlayer(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", Password);
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync($"/review/{app.CallId}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();

        var player = await page.Locator("[data-timeline]").BoundingBoxAsync();
        Assert.True(player!.Height <= height * 0.35, $"the player takes {player.Height} of {height} px");

        await page.Keyboard.PressAsync("m");
        var form = page.Locator("#annotation-form-slot form.annotation-form");
        await form.WaitForAsync();
        await page.Keyboard.PressAsync("Escape");
        await form.Locator("textarea[name=expected]").FillAsync("Should have explained the fee.");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save annotation" }).ClickAsync();

        // The browser focuses the invalid category; it must be below the sticky player, inside the viewport.
        await page.WaitForFunctionAsync("() => document.activeElement?.name === 'category'");
        await WaitForStillAsync(page, ":focus");
        var covered = await page.EvaluateAsync<double>(
            "() => document.querySelector('[data-timeline]').getBoundingClientRect().bottom - document.activeElement.getBoundingClientRect().top");
        Assert.True(covered <= 0, $"the sticky player covers {covered} px of the invalid field");
        var bottom = await page.EvaluateAsync<double>("() => document.activeElement.getBoundingClientRect().bottom");
        Assert.True(bottom <= height, "the invalid field is below the viewport");
    }

    [Theory, MemberData(nameof(Screens))]
    public async Task WorkingInPanelsScrolledUnderThePlayer_WhatEachAnswerShowsIsNotCovered(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", Password);
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync($"/review/{app.PanelsCallId}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();

        // The annotations panel scrolled up under the player, then m: the new form's heading shows below the player.
        await page.EvaluateAsync("() => window.scrollBy(0, document.querySelector('#annotations').getBoundingClientRect().top - 40)");
        await page.Keyboard.PressAsync("m");
        var form = page.Locator("#annotation-form-slot form.annotation-form");
        await form.WaitForAsync();
        await AssertShownAsync(page, "#annotation-form-slot h3");

        // Saved: the new card, where the form was a moment ago, is shown.
        await form.Locator("select[name=category]").SelectOptionAsync("unresolved");
        await form.Locator("textarea[name=expected]").FillAsync("Book the engineer before hanging up.");
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        await form.GetByRole(AriaRole.Button, new() { Name = "Save annotation" }).ClickAsync();
        var saved = page.Locator("#annotations li.annotation[data-uncover=true]");
        await saved.WaitForAsync();
        Assert.Contains("Book the engineer", await saved.InnerTextAsync());
        await AssertShownAsync(page, "#annotations li.annotation[data-uncover=true]");
        // The answer changed only the panel's parts (card, count, form, marker): the cards stay in time order, the
        // count counts them, the form is gone and every card has its marker on the timeline.
        var starts = await page.EvaluateAsync<double[]>("() => [...document.querySelectorAll('#annotations li.annotation')].map(li => parseFloat(li.dataset.start))");
        Assert.Equal(starts.Order(), starts);
        Assert.Equal($"({starts.Length})", await page.Locator("#annotations-total").InnerTextAsync());
        Assert.Equal(0, await page.Locator("#annotation-form-slot form").CountAsync());
        Assert.Equal(starts.Length, await page.Locator("#annotation-markers [data-marker]").CountAsync());
        Assert.Equal(1, await page.Locator("#annotations li.annotation[data-uncover=true]").CountAsync());
        Assert.Empty(errors);
        await Chromium.ScreenshotAsync(page, $"review-annotation-saved-{width}x{height}");

        // Its Edit button near the top: the edit form replacing the card shows its heading.
        await page.EvaluateAsync("() => window.scrollBy(0, document.querySelector('#annotations li.annotation[data-uncover=true] .annotation-foot').getBoundingClientRect().top - 260)");
        await saved.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await page.Locator("#annotations li.annotation form.annotation-form").WaitForAsync();
        await AssertShownAsync(page, "#annotations li.annotation form.annotation-form h3");

        // The scorecard saved from its button at the bottom with nothing answered: the refusal at its top is shown, and no
        // criterion comes back marked N/A.
        var save = page.Locator("#scorecard").GetByRole(AriaRole.Button, new() { Name = "Save scorecard" });
        await save.ScrollIntoViewIfNeededAsync();
        await save.ClickAsync();
        await page.Locator("#scorecard .errors").WaitForAsync();
        await AssertShownAsync(page, "#scorecard .errors");
        Assert.Equal(0, await page.Locator("#scorecard input[type=radio]:checked").CountAsync());
        await Chromium.ScreenshotAsync(page, $"review-scorecard-refused-{width}x{height}");

        // A link to the scorecard lands on its heading below the player.
        await page.GotoAsync($"/review/{app.PanelsCallId}#scorecard");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        await AssertShownAsync(page, "#scorecard h2");
    }

    [Theory, MemberData(nameof(Screens))]
    public async Task LongAnnotationList_OnADesktopItsHeadingStaysUnderThePlayer_AndShowMoreKeepsThePlace(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", Password);
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync($"/review/{app.LongListCallId}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();

        // Well down the cards: on a desktop the panel's heading (its count, Mark now) sits just under the player; a phone
        // keeps its little height for the cards.
        await page.EvaluateAsync("() => window.scrollBy(0, document.querySelector('#annotations').getBoundingClientRect().top + 700)");
        await Chromium.ScreenshotAsync(page, $"review-long-list-{width}x{height}");
        var (player, head) = await PlayerAndPanelHeadAsync(page);
        if (width > 900)
            Assert.InRange(head.Top - player, -0.5, 0.5);
        else
            Assert.True(head.Bottom <= player, $"the heading's bottom {head.Bottom} shows below the player's {player}");

        // "Show more" from the keyboard: the next cards come after the others, the page does not move and the button
        // keeps the focus for the next page.
        var more = page.Locator("#annotations-more-button");
        await more.FocusAsync();
        await WaitForStillAsync(page, "#annotations-more-button");
        var before = await page.EvaluateAsync<double>("() => scrollY");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#annotations li.annotation", new() { HasText = "pin 49" }).WaitForAsync();
        Assert.Equal(50, await page.Locator("#annotations li.annotation").CountAsync());
        Assert.Equal("annotations-more-button", await page.EvaluateAsync<string>("() => document.activeElement?.id"));
        Assert.Equal(before, await page.EvaluateAsync<double>("() => scrollY"));
        Assert.Equal("Show 10 more (10 not shown)", await more.InnerTextAsync());

        // A card's Edit just under the heading: its form's heading is shown below the player and the panel's heading.
        var card = page.Locator("#annotations li.annotation", new() { HasText = "pin 30" });
        await page.EvaluateAsync("foot => window.scrollBy(0, foot.getBoundingClientRect().top - 200)", await card.Locator(".annotation-foot").ElementHandleAsync());
        await card.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await card.Locator("form.annotation-form").WaitForAsync();
        await AssertShownAsync(page, "#annotations li.annotation form.annotation-form h3");
        await Chromium.ScreenshotAsync(page, $"review-long-list-edit-{width}x{height}");

        // Saved from its button, the form's top scrolled up under the player: the card it leaves is shown below both.
        var form = card.Locator("form.annotation-form");
        await form.Locator("textarea[name=quote]").FillAsync("pin 30 edited");
        var save = form.GetByRole(AriaRole.Button, new() { Name = "Save annotation" });
        await page.EvaluateAsync("save => window.scrollBy(0, save.getBoundingClientRect().top - 420)", await save.ElementHandleAsync());
        await save.ClickAsync();
        await page.Locator("#annotations li.annotation[data-uncover=true]", new() { HasText = "pin 30 edited" }).WaitForAsync();
        await AssertShownAsync(page, "#annotations li.annotation[data-uncover=true]");
        await Chromium.ScreenshotAsync(page, $"review-long-list-saved-{width}x{height}");

        // The last "show more" from the keyboard: the line saying every card is shown takes the button's focus (it fell to
        // <body>, and the next Tab started from the top of the page).
        await more.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#annotations-all-shown").WaitForAsync();
        await WaitForStillAsync(page, "#annotations-all-shown");
        Assert.Equal(60, await page.Locator("#annotations li.annotation").CountAsync());
        Assert.Equal("annotations-all-shown", await page.EvaluateAsync<string>("() => document.activeElement?.id"));
        await Chromium.ScreenshotAsync(page, $"review-long-list-all-shown-{width}x{height}");

        // The first card's marker on the timeline, the page scrolled to its end: the card is shown below the player and
        // the panel's heading (the page's scroll padding left it 42 px under a stuck heading).
        await page.EvaluateAsync("() => window.scrollTo(0, document.documentElement.scrollHeight)");
        await page.Locator("[data-label-track] .marker-label").First.ClickAsync();
        await AssertShownAsync(page, "#annotation-list > li:first-child");
        await Chromium.ScreenshotAsync(page, $"review-long-list-marker-{width}x{height}");
        await Axe.AssertAccessibleAsync(page);
        chromium.AssertNoPolicyViolations();
    }

    /// <summary>
    /// A card deleted while "show more" is on its way (its answer read by the server at once, delivered after the click):
    /// the delete is sent once the next page is appended, so its whole panel shows every card once (sent at once, its
    /// panel came first and the next page appended after it repeated pin 25).
    /// </summary>
    [Fact]
    public async Task DeleteWhileShowMoreIsOnItsWay_IsSentAfterItsAnswer_AndEveryCardShowsOnce()
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", Password);
        await page.SetViewportSizeAsync(1366, 900);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GotoAsync($"/review/{app.QueueCallId}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        await page.EvaluateAsync(
            """
            () => {
              window.answers = 0;
              document.addEventListener('htmx:beforeSend', (e) => { if (e.detail.requestConfig.path.endsWith('/delete')) window.deleteSent = true; });
              document.addEventListener('htmx:afterRequest', () => { window.answers++; });
            }
            """);
        var deleteClicked = new TaskCompletionSource();
        await page.RouteAsync(new System.Text.RegularExpressions.Regex(@"/annotations\?more=true"), async route =>
        {
            var answer = await route.FetchAsync();
            await deleteClicked.Task;
            await route.FulfillAsync(new() { Response = answer });
        });

        await page.Locator("#annotations-more-button").ClickAsync();
        await page.Locator("#annotations li.annotation", new() { HasText = "pin 03" }).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        // A delete sent at once is answered and swapped in before "show more"'s answer arrives.
        if (await page.EvaluateAsync<bool>("() => window.deleteSent === true"))
            await page.WaitForFunctionAsync("() => window.answers >= 1");
        deleteClicked.SetResult();
        await page.WaitForFunctionAsync("() => window.answers >= 2 && !document.querySelector('.htmx-request')");

        var cards = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#annotation-list > li')].map(li => li.querySelector('.quote').textContent)");
        Assert.Equal(Enumerable.Range(0, 30).Where(i => i != 3).Select(i => $"pin {i:00}"), cards);
        Assert.Equal("(29)", await page.Locator("#annotations-total").InnerTextAsync());
        chromium.AssertNoPolicyViolations();
    }

    /// <summary>The player's bottom and the annotations panel's heading's top and bottom, in the viewport.</summary>
    private static async Task<(double Player, (double Top, double Bottom) Head)> PlayerAndPanelHeadAsync(IPage page)
    {
        var box = await page.EvaluateAsync<double[]>(
            """
            () => {
              const head = document.querySelector('#annotations > .page-head').getBoundingClientRect();
              return [document.querySelector('[data-timeline]').getBoundingClientRect().bottom, head.top, head.bottom];
            }
            """);
        return (box[0], (box[1], box[2]));
    }

    /// <summary>The element's top is below the sticky player (and its section's heading) and inside the viewport.</summary>
    private static async Task AssertShownAsync(IPage page, string selector)
    {
        await WaitForStillAsync(page, selector);
        var box = await page.EvaluateAsync<double[]>(
            """
            selector => {
              const el = document.querySelector(selector), top = el.getBoundingClientRect().top;
              const head = el.closest('section')?.querySelector(':scope > .page-head');
              const headBottom = head && !head.contains(el) ? head.getBoundingClientRect().bottom : -Infinity;
              return [Math.max(document.querySelector('[data-timeline]').getBoundingClientRect().bottom, headBottom) - top, top, innerHeight];
            }
            """, selector);
        var (covered, top, viewport) = (box[0], box[1], box[2]);
        Assert.True(covered <= 0, $"the sticky player or the panel's heading covers {covered} px of {selector}");
        Assert.True(top < viewport - 40, $"{selector} is below the viewport (top {top} of {viewport})");
    }

    /// <summary>
    /// Waits until the page is done moving <paramref name="selector"/>'s element: no htmx request, swap or settle under
    /// way (the panel's answers scroll at htmx:afterSettle, a focused field a frame after focus) and the element, the
    /// player and the page's scroll the same for three animation frames in a row. Not a fixed sleep: a scroll that comes
    /// late starts the count again, and a page that has settled passes after three frames.
    /// </summary>
    private static Task WaitForStillAsync(IPage page, string selector) =>
        page.WaitForFunctionAsync(
            """
            ([selector, wait]) => {
              const el = document.querySelector(selector);
              const busy = !el || document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling');
              const now = busy ? null : [scrollY, el.getBoundingClientRect().top, document.querySelector('[data-timeline]').getBoundingClientRect().bottom].join();
              const last = window[wait];
              const frames = now !== null && last?.now === now ? last.frames + 1 : 1;
              window[wait] = { now, frames };
              return now !== null && frames >= 3;
            }
            """, new[] { selector, $"still-{Guid.NewGuid():N}" });
}
