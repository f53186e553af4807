using CallReview.Tests.Transcription;
using CallReview.Tests.Web.Features.Admin;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>
/// A reviewer chooses two stereo calls in a real browser, fills the details for both and overrides one file's
/// agent, uploads, sees each file's result, watches one being transcribed by the in-app worker (real
/// whisper.cpp), and reads agent and customer turns at the right times.
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

    private string Renamed(string path, string name)
    {
        var target = Path.Combine(_dir, name);
        File.Move(path, target);
        return target;
    }

    [Fact]
    public async Task Reviewer_UploadsStereoCall_WatchesItAndReadsAgentAndCustomerTurns()
    {
        var call = Renamed(await ScriptedStereoCall.RenderAsync(_dir,
        [
            new("agent", 0.7, "Good morning, you are through to Contoso Mobile, my name is Alex."),
            new("customer", 5.5, "Hi, my phone has had no signal since yesterday."),
        ], totalSeconds: 10), "signal-call.wav");
        var second = Renamed(await ScriptedStereoCall.RenderAsync(_dir,
        [
            new("agent", 0.5, "Thank you for holding, this is Sam."),
            new("customer", 3.5, "I would like to change my address."),
        ], totalSeconds: 7), "address-call.wav");
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("una@test.local", Password);

        await page.GotoAsync("/calls/upload");
        await Axe.AssertAccessibleAsync(page);
        // A reviewer in one team sees that team once.
        Assert.Equal(["Blue"], await page.Locator("#Team option").AllInnerTextsAsync());

        // Choosing files uploads nothing yet: the details typed afterwards still apply.
        await page.Locator("#files").SetInputFilesAsync([call, second]);
        var rows = page.Locator("#upload-list li");
        Assert.Equal(2, await rows.CountAsync());
        await page.Locator("#Agent").FillAsync("Alex Agent");
        await rows.Nth(1).Locator("summary").ClickAsync();
        await rows.Nth(1).GetByLabel("Agent").FillAsync("Sam Agent");
        Assert.Equal(0, await page.Locator("#upload-list li.ok").CountAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload 2 files" }).ClickAsync();

        await page.Locator("#upload-list li.ok a").Nth(1).WaitForAsync();
        Assert.Equal(2, await page.Locator("#upload-list li.ok").CountAsync());
        await Axe.AssertAccessibleAsync(page);
        await page.GotoAsync("/calls");
        await Axe.AssertAccessibleAsync(page);
        Assert.Contains("Alex Agent", await page.Locator("tr", new() { HasText = Path.GetFileNameWithoutExtension(call) }).InnerTextAsync());
        Assert.Contains("Sam Agent", await page.Locator("tr", new() { HasText = Path.GetFileNameWithoutExtension(second) }).InnerTextAsync());
        await page.Locator("tr", new() { HasText = Path.GetFileNameWithoutExtension(call) }).Locator("a").First.ClickAsync();

        // The status panel polls while the worker transcribes, then the page reloads with the transcript.
        var customerTurn = page.Locator(".turn", new() { HasText = "signal" });
        await customerTurn.WaitForAsync(new() { Timeout = 120_000 });
        Assert.Contains("Customer", await customerTurn.InnerTextAsync());
        var start = double.Parse(await customerTurn.GetAttributeAsync("data-start") ?? "-1", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(start, 4.0, 7.0);
        var agentTurn = page.Locator(".turn", new() { HasText = "Contoso" });
        Assert.Contains("Agent", await agentTurn.InnerTextAsync());
        Assert.Contains("done", await page.Locator("#call-status").InnerTextAsync());
        await Axe.AssertAccessibleAsync(page);
        chromium.AssertNoPolicyViolations();
    }
}
