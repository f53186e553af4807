using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Review;
using CallReview.Tests.Web.Features.Signals;
using CallReview.Web.Features.Signals;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>A reviewer works through the suggestion lane with the keyboard, on a desktop and a phone.</summary>
[Collection(BrowserJourneys.Name)]
public sealed class SignalsJourneyTests(SignalsJourneyTests.App app) : IClassFixture<SignalsJourneyTests.App>
{
    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public Dictionary<int, int> CallByWidth { get; } = new();
        public int Team { get; private set; }

        public async Task InitializeAsync()
        {
            _ = BaseUrl;
            var admin = await AdminAsync();
            var team = Team = await admin.CreateTeamAsync("Green");
            await admin.CreateUserAsync("rae@test.local", "Rae Reviewer", "review-pass-123", ["reviewer"], team);
            using var scope = Services.CreateScope();
            foreach (var width in new[] { 1366, 390 })
            {
                CallByWidth[width] = await this.InsertCallAsync("Invoice call", team, null, SignalsFixture.Turns, durationSeconds: 25, withAudio: true);
                await SignalsFixture.WriteSpeechPeaksAsync(this, CallByWidth[width], SignalsFixture.Turns, 25);
                await scope.ServiceProvider.GetRequiredService<ComputeSignals.Handler>().RunAsync(CallByWidth[width], default);
            }
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    public static TheoryData<int, int> Screens => new() { { 1366, 900 }, { 390, 844 } };

    [Theory, MemberData(nameof(Screens))]
    public async Task Reviewer_AcceptsWithAKeyAndDismissesAMarker_DecisionsStay(int width, int height)
    {
        var callId = app.CallByWidth[width];
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", "review-pass-123");
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync($"/review/{callId}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        var lane = page.Locator("[data-signal-lane]");
        await lane.WaitForAsync();
        Assert.Contains("silence 7.4 s > 3 s", await lane.InnerTextAsync());
        await Axe.AssertAccessibleAsync(page);
        await Chromium.ScreenshotAsync(page, $"signals-lane-{width}x{height}");

        // n: the first open suggestion after the playhead (dead air at 6 s) is selected and played from; a: accepted.
        await page.Keyboard.PressAsync("n");
        var deadAir = page.Locator(".signal-item.selected", new() { HasText = "Dead air" });
        await deadAir.WaitForAsync();
        await page.WaitForFunctionAsync("() => Math.abs(document.querySelector('[data-timeline]').timeline.currentTime() - 6) < 0.2");
        await page.Keyboard.PressAsync("a");
        await page.Locator("#annotations li.annotation", new() { HasText = "Timeliness" }).WaitForAsync();
        await page.Locator(".signal-item.status-accepted", new() { HasText = "Dead air" }).WaitForAsync();
        Assert.Contains("accepted by Rae Reviewer", await page.Locator(".signal-item", new() { HasText = "Dead air" }).InnerTextAsync());

        // A click on the talk-over marker selects it; d dismisses it.
        await page.Locator(".signal-marker.rule-talk_over").ClickAsync();
        await page.Locator(".signal-item.selected", new() { HasText = "Talk-over" }).WaitForAsync();
        await page.Keyboard.PressAsync("d");
        await page.Locator(".signal-item.status-dismissed", new() { HasText = "Talk-over" }).WaitForAsync();
        await Chromium.ScreenshotAsync(page, $"signals-decided-{width}x{height}");

        await page.ReloadAsync();
        await page.Locator("[data-signal-lane]").WaitForAsync();
        await page.Locator(".signal-item.status-accepted", new() { HasText = "Dead air" }).WaitForAsync();
        await page.Locator(".signal-item.status-dismissed", new() { HasText = "Talk-over" }).WaitForAsync();
        Assert.Equal(1, await page.Locator("#annotations li.annotation").CountAsync());
        chromium.AssertNoPolicyViolations();
    }

    [Theory, MemberData(nameof(Screens))]
    public async Task Admin_SavesATeamsThresholdsAndReruns(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync(Web.CallReviewApp.AdminEmail, Web.CallReviewApp.AdminPassword);
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync($"/admin/signals?team={app.Team}");
        Assert.Contains("Amazon Contact Lens", await page.Locator("table.signal-settings").InnerTextAsync());
        await Axe.AssertAccessibleAsync(page);
        await Chromium.ScreenshotAsync(page, $"signals-admin-{width}x{height}");

        // The same value again (the other journey reads "> 3 s"): what is checked is that a save sticks to the team.
        await page.Locator("#DeadAirSeconds").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.Locator("text=Saved.").WaitForAsync();
        await page.Locator("text=This team has its own settings.").WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Re-run on Green's calls" }).ClickAsync();
        await page.Locator("text=Signals computed again for 2 calls").WaitForAsync();

        chromium.AssertNoPolicyViolations();
    }
}
