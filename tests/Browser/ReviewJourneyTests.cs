using System.Globalization;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Review;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>A reviewer reviews a transcribed call in a real browser, with the keyboard.</summary>
[Collection(BrowserJourneys.Name)]
public sealed class ReviewJourneyTests(ReviewJourneyTests.App app) : IClassFixture<ReviewJourneyTests.App>
{
    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public int CallId { get; private set; }

        public async Task InitializeAsync()
        {
            _ = BaseUrl;
            var admin = await AdminAsync();
            var team = await admin.CreateTeamAsync("Blue");
            await admin.CreateUserAsync("rae@test.local", "Rae Reviewer", "review-pass-123", ["reviewer"], team);
            CallId = await this.InsertCallAsync("Refund call", team, null, withAudio: true);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task Reviewer_PlaysMarksAndSaves_MarkerStaysAfterReload()
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", "review-pass-123");
        await ServeTestAudioWhenMissingAsync(page, app);

        await page.GotoAsync($"/review/{app.CallId}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        await Axe.AssertAccessibleAsync(page);

        await page.Keyboard.PressAsync(" ");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-timeline]').timeline.currentTime() > 1.5");
        await page.Keyboard.PressAsync("m");

        var form = page.Locator("#annotation-form-slot form.annotation-form");
        await form.WaitForAsync();
        var start = decimal.Parse(await form.Locator("input[name=start]").InputValueAsync(), CultureInfo.InvariantCulture);
        Assert.InRange(start, 1.5m, 10m);
        await page.WaitForFunctionAsync("() => document.activeElement?.name === 'category'");
        await page.Keyboard.PressAsync("Escape");
        Assert.Equal("Play", await page.Locator("[data-action=play]").TextContentAsync());

        await form.Locator("select[name=category]").SelectOptionAsync("no-ownership");
        await form.Locator("textarea[name=expected]").FillAsync("Promise a call back today and own it.");
        await form.Locator("textarea[name=expected]").PressAsync("Control+Enter");

        var startText = start.ToString("0.###", CultureInfo.InvariantCulture);
        var item = page.Locator($"#annotations li[data-marker][data-start='{startText}']");
        await item.WaitForAsync();
        Assert.Contains("No ownership / follow-up", await item.InnerTextAsync());
        await Axe.AssertAccessibleAsync(page);
        await AssertRegionAtAsync(page, start);

        await page.ReloadAsync();
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        Assert.Contains("Promise a call back today", await page.Locator($"#annotations li[data-marker][data-start='{startText}']").InnerTextAsync());
        await AssertRegionAtAsync(page, start);
        chromium.AssertNoPolicyViolations();
    }

    [Fact]
    public async Task Reviewer_ClicksATranscriptLineAndUsesArrows_PlayheadAndHighlightFollow()
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", "review-pass-123");
        await ServeTestAudioWhenMissingAsync(page, app);
        await page.GotoAsync($"/review/{app.CallId}?t=4.5");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        await page.Locator(".turn.current[data-start='4']").WaitForAsync();

        await page.Locator(".turn[data-start='17.5']").ClickAsync();
        await page.Locator(".turn.current[data-start='17.5']").WaitForAsync();
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.Locator(".turn.current[data-start='12.5']").WaitForAsync();

        await page.Keyboard.PressAsync("?");
        Assert.True(await page.Locator("dialog[data-help]").IsVisibleAsync());
        chromium.AssertNoPolicyViolations();
    }

    /// <summary>The region wavesurfer draws for the annotation sits at its time (left edge as a share of the call).</summary>
    private static async Task AssertRegionAtAsync(IPage page, decimal start)
    {
        var region = page.Locator($"[data-marker-id]").First;
        await region.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var left = await region.EvaluateAsync<string>("el => el.style.left");
        var percent = decimal.Parse(left.TrimEnd('%'), CultureInfo.InvariantCulture);
        Assert.InRange(percent, start / 30m * 100 - 0.5m, start / 30m * 100 + 0.5m);
    }

    /// <summary>Until the calls feature serves audio and peaks, answer those two URLs from the test's files.</summary>
    internal static Task ServeTestAudioWhenMissingAsync(IPage page, KestrelApp app) =>
        page.RouteAsync(new System.Text.RegularExpressions.Regex(@"/calls/\d+/(audio|peaks)$"), async route =>
        {
            var real = await route.FetchAsync();
            if (real.Status != 404)
            {
                await route.FulfillAsync(new() { Response = real });
                return;
            }
            var callId = route.Request.Url.Split('/')[^2];
            var isAudio = route.Request.Url.EndsWith("/audio", StringComparison.Ordinal);
            var file = Path.Combine(app.DataDirectory, "test-audio", isAudio ? $"call-{callId}.mp3" : $"call-{callId}.peaks.json");
            await route.FulfillAsync(new() { BodyBytes = await File.ReadAllBytesAsync(file), ContentType = isAudio ? "audio/mpeg" : "application/json" });
        });
}
