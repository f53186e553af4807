using CallReview.Tests.Transcription;
using CallReview.Tests.Web.Features.Admin;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>
/// A reviewer uploads a stereo call in a real browser, watches it being transcribed by the in-app worker
/// (real whisper.cpp), and reads agent and customer turns at the right times.
/// </summary>
[Collection(BrowserJourneys.Name)]
public sealed class UploadJourneyTests(UploadJourneyTests.App app) : IClassFixture<UploadJourneyTests.App>, IDisposable
{
    private const string Password = "upload-pass-123";
    private readonly string _dir = Directory.CreateTempSubdirectory("callreview-upload-").FullName;

    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public App()
        {
            Settings["CallReview:Worker:Enabled"] = "true";
            Settings["CallReview:Worker:PollSeconds"] = "0.5";
            Settings["CallReview:Whisper:ModelPath"] = TestData.Model("ggml-tiny.en-q8_0.bin");
        }

        public async Task InitializeAsync()
        {
            _ = BaseUrl;
            var admin = await AdminAsync();
            var team = await admin.CreateTeamAsync("Blue");
            await admin.CreateUserAsync("una@test.local", "Una Uploader", Password, ["reviewer"], team);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Reviewer_UploadsStereoCall_WatchesItAndReadsAgentAndCustomerTurns()
    {
        var call = await ScriptedStereoCall.RenderAsync(_dir,
        [
            new("agent", 0.7, "Good morning, you are through to Contoso Mobile, my name is Alex."),
            new("customer", 5.5, "Hi, my phone has had no signal since yesterday."),
        ], totalSeconds: 10);
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("una@test.local", Password);

        await page.GotoAsync("/calls/upload");
        await page.Locator("#files").SetInputFilesAsync(call);
        var link = page.Locator("#upload-list li.ok a");
        await link.WaitForAsync();
        Assert.Contains("queued", await link.InnerTextAsync());
        await link.ClickAsync();

        // The status panel polls while the worker transcribes, then the page reloads with the transcript.
        var customerTurn = page.Locator(".turn", new() { HasText = "signal" });
        await customerTurn.WaitForAsync(new() { Timeout = 120_000 });
        Assert.Contains("Customer", await customerTurn.InnerTextAsync());
        var start = double.Parse(await customerTurn.GetAttributeAsync("data-start") ?? "-1", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(start, 4.0, 7.0);
        var agentTurn = page.Locator(".turn", new() { HasText = "Contoso" });
        Assert.Contains("Agent", await agentTurn.InnerTextAsync());
        Assert.Contains("done", await page.Locator("#call-status").InnerTextAsync());
    }
}
