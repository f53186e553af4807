using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Practice;
using CallReview.Tests.Web.Features.Review;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>
/// The review page's timeline with pins close together, on a desktop and on a phone: marker labels never
/// print over each other, every label's full text is reachable by focus, and the sticky player neither
/// covers the field the browser reports as invalid nor takes most of a phone's screen.
/// </summary>
[Collection(BrowserJourneys.Name)]
public sealed class TimelineLayoutTests(TimelineLayoutTests.App app) : IClassFixture<TimelineLayoutTests.App>
{
    private const string Password = "layout-pass-123";

    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public int CallId { get; private set; }

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
        await page.WaitForTimeoutAsync(300);
        var covered = await page.EvaluateAsync<double>(
            "() => document.querySelector('[data-timeline]').getBoundingClientRect().bottom - document.activeElement.getBoundingClientRect().top");
        Assert.True(covered <= 0, $"the sticky player covers {covered} px of the invalid field");
        var bottom = await page.EvaluateAsync<double>("() => document.activeElement.getBoundingClientRect().bottom");
        Assert.True(bottom <= height, "the invalid field is below the viewport");
    }
}
