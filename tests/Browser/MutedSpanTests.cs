using CallReview.Db;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Review;
using CallReview.Transcription.Redaction;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Browser;

/// <summary>
/// A call whose card number and security code were muted, on the review page on a desktop and a phone: the waveform shades
/// each muted span with its reason on hover, and the list under the player says where, on whose channel and why. A call not
/// yet through redaction plays nothing and says so.
/// </summary>
[Collection(BrowserJourneys.Name)]
public sealed class MutedSpanTests(MutedSpanTests.App app) : IClassFixture<MutedSpanTests.App>
{
    private const string Password = "muted-pass-123";
    private const string CardReason = "muted: card number (rule: luhn-16 after card request)";

    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public int CallId { get; private set; }

        /// <summary>A call whose playback copy and peaks exist but whose transcript has not been through redaction yet.</summary>
        public int AwaitingCallId { get; private set; }

        public async Task InitializeAsync()
        {
            _ = BaseUrl;
            var admin = await AdminAsync();
            var team = await admin.CreateTeamAsync("Payments");
            await admin.CreateUserAsync("pat@test.local", "Pat Reviewer", Password, ["reviewer"], team);
            CallId = await this.InsertCallAsync("Card payment", team, null, [
                new("agent", 0.5, 4.0, "Thank you. Can I take the long card number on the front of your card please?"),
                new("customer", 6.0, 12.5, "Yes, it is 4539 14•• •••• 6467."),
                new("agent", 14.5, 18.0, "Thank you. And the three digit security code on the back?"),
                new("customer", 19.5, 20.8, CardDataDetector.HiddenCode + "."),
                new("agent", 22.5, 24.5, "Lovely, that has gone through."),
                new("customer", 26.0, 28.5, "Great, thanks for your help today."),
            ], withAudio: true);
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            await connection.ExecuteAsync(
                "INSERT INTO Redaction (CallId, Channel, Speaker, StartMs, EndMs, Kind, RuleName, MaskedText, CreatedAt) VALUES (@CallId, 1, 'customer', @StartMs, @EndMs, @Kind, @RuleName, @MaskedText, @now)",
                new[]
                {
                    new { CallId, StartMs = 5500L, EndMs = 13000L, Kind = CardDataKinds.CardNumber, RuleName = "luhn-16 after card request", MaskedText = "4539 14•• •••• 6467", now = DateTimeOffset.UtcNow },
                    new { CallId, StartMs = 19000L, EndMs = 21300L, Kind = CardDataKinds.SecurityCode, RuleName = "run-3 after security-code request", MaskedText = CardDataDetector.HiddenCode, now = DateTimeOffset.UtcNow },
                });
            AwaitingCallId = await this.InsertCallAsync("Card payment, being transcribed", team, null, [], withAudio: true);
            await connection.ExecuteAsync("UPDATE Recording SET RedactedAt = NULL WHERE CallId = @AwaitingCallId", new { AwaitingCallId });
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    public static TheoryData<int, int> Screens => new() { { 1366, 900 }, { 390, 844 } };

    [Theory, MemberData(nameof(Screens))]
    public async Task ReviewPage_ShadesAndListsTheMutedSpansWithTheirReason(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("pat@test.local", Password);
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync($"/review/{app.CallId}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();

        var list = page.GetByRole(Microsoft.Playwright.AriaRole.List, new() { Name = "Muted audio" });
        Assert.Equal(2, await list.Locator("li").CountAsync());
        Assert.Contains(CardReason, await list.InnerTextAsync());
        Assert.Contains("0:05.5–0:13.0", await list.InnerTextAsync());
        // The list item and the shaded band on the waveform (inside its shadow root) carry the same reason.
        Assert.Equal(2, await page.Locator($"[title='{CardReason}']").CountAsync());
        await Axe.AssertAccessibleAsync(page);
        await Chromium.ScreenshotAsync(page, $"review-muted-{width}x{height}");

        // Only the customer's lane is shaded: the band sits in the lower half of the waveform.
        var wave = await page.Locator("[data-wave]").BoundingBoxAsync();
        var band = await page.Locator($"[data-wave] [title='{CardReason}']").BoundingBoxAsync();
        Assert.InRange(band!.Y - wave!.Y, wave.Height * 0.4, wave.Height * 0.6);

        await list.GetByRole(Microsoft.Playwright.AriaRole.Button).Last.ClickAsync();
        Assert.Contains("0:19", await page.Locator("[data-current]").InnerTextAsync());
        chromium.AssertNoPolicyViolations();
    }

    [Theory, MemberData(nameof(Screens))]
    public async Task ReviewPage_BeforeRedaction_FetchesNoAudioAndSaysWhenItComes(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("pat@test.local", Password);
        await page.SetViewportSizeAsync(width, height);
        var media = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains($"/calls/{app.AwaitingCallId}/"))
                media.Add(request.Url);
        };
        await page.GotoAsync($"/review/{app.AwaitingCallId}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();

        Assert.True(await page.GetByText("Audio available after transcription and redaction.").IsVisibleAsync());
        await page.Keyboard.PressAsync("Space");
        // The key was handled when PressAsync returned: had it played, the audio would no longer be paused (play() says so
        // at once), and an element that has chosen no source (empty, or none found) fetches nothing.
        Assert.True(await page.EvaluateAsync<bool>(
            "() => { const a = document.querySelector('[data-audio]'); return a.paused && !a.currentSrc && (a.networkState === a.NETWORK_EMPTY || a.networkState === a.NETWORK_NO_SOURCE); }"));
        Assert.Empty(media);
        // Nothing plays, so the button does not turn into Pause.
        Assert.Equal("Play", await page.Locator("[data-action=play]").TextContentAsync());
        Assert.True(await page.Locator("[data-action=play]").IsDisabledAsync());
        await Axe.AssertAccessibleAsync(page);
        await Chromium.ScreenshotAsync(page, $"review-awaiting-redaction-{width}x{height}");
        chromium.AssertNoPolicyViolations();
    }
}
