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

        /// <summary>20 minutes, a line every 10 s ("line 0" … "line 119"): four chunks of transcript.</summary>
        public int LongCallId { get; private set; }

        /// <summary>A transcript whose recording is not there to play (its file is missing).</summary>
        public int SilentCallId { get; private set; }

        public async Task InitializeAsync()
        {
            _ = BaseUrl;
            var admin = await AdminAsync();
            var team = await admin.CreateTeamAsync("Blue");
            await admin.CreateUserAsync("rae@test.local", "Rae Reviewer", "review-pass-123", ["reviewer"], team);
            CallId = await this.InsertCallAsync("Refund call", team, null, withAudio: true);
            LongCallId = await this.InsertCallAsync("Long call", team, null, durationSeconds: 1200, withAudio: true,
                turns: Enumerable.Range(0, 120).Select(i => new TestCalls.Turn(i % 2 == 0 ? "agent" : "customer", i * 10, i * 10 + 8, $"line {i}")).ToList());
            SilentCallId = await this.InsertCallAsync("Call without a recording", team, null);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task Reviewer_PlaysMarksAndSaves_MarkerStaysAfterReload()
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", "review-pass-123");
        var media = new CallMedia(page, app.CallId);

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
        var item = page.Locator($"#annotations li.annotation[data-start='{startText}']");
        await item.WaitForAsync();
        Assert.Contains("No ownership / follow-up", await item.InnerTextAsync());
        await Axe.AssertAccessibleAsync(page);
        await AssertRegionAtAsync(page, start);

        await page.ReloadAsync();
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        Assert.Contains("Promise a call back today", await page.Locator($"#annotations li.annotation[data-start='{startText}']").InnerTextAsync());
        // A scorecard cite list, once opened, offers the annotation (filled from the page's marker list).
        var cites = page.Locator("details[data-cites]").First;
        await cites.Locator("summary").ClickAsync();
        Assert.Contains("No ownership / follow-up", await cites.Locator("label.check").First.InnerTextAsync());
        await AssertRegionAtAsync(page, start);
        media.AssertServed(app.CallId);
        chromium.AssertNoPolicyViolations();
    }

    [Fact]
    public async Task Reviewer_ClicksATranscriptLineAndUsesArrows_PlayheadAndHighlightFollow()
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", "review-pass-123");
        var media = new CallMedia(page, app.CallId);
        await page.GotoAsync($"/review/{app.CallId}?t=4.5");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        await page.Locator(".turn.current[data-start='4']").WaitForAsync();

        await page.Locator(".turn[data-start='17.5']").ClickAsync();
        await page.Locator(".turn.current[data-start='17.5']").WaitForAsync();
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.Locator(".turn.current[data-start='12.5']").WaitForAsync();

        await page.Keyboard.PressAsync("?");
        Assert.True(await page.Locator("dialog[data-help]").IsVisibleAsync());
        media.AssertServed(app.CallId);
        chromium.AssertNoPolicyViolations();
    }

    [Fact]
    public async Task CallWhoseRecordingCannotBePlayed_SpaceAndPlayDoNothing_AndThePageSaysWhy()
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", "review-pass-123");
        // The recording's failure reaches the page before the timeline's script runs (held back until then), as it
        // can on a busy machine: the page must still notice it.
        await page.RouteAsync("**/js/timeline.js*", async route =>
        {
            await page.WaitForFunctionAsync("() => document.querySelector('[data-audio]')?.error");
            await route.ContinueAsync();
        });
        await page.GotoAsync($"/review/{app.SilentCallId}");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();

        // Play is disabled once the page knows the recording cannot load; Space then starts nothing (play() would
        // unpause the audio at once, while the key is handled).
        var play = page.Locator("[data-action=play]:disabled");
        await play.WaitForAsync();
        await page.Keyboard.PressAsync(" ");
        Assert.Equal("Play", await play.TextContentAsync());
        Assert.True(await page.Locator("[data-audio]").EvaluateAsync<bool>("audio => audio.paused"));
        var why = await play.GetAttributeAsync("aria-describedby");
        Assert.Equal("The recording could not be loaded; the timeline and transcript still work.", await page.Locator($"#{why}").InnerTextAsync());
        // The rest of the timeline still works.
        await page.Locator(".turn[data-start='17.5']").ClickAsync();
        await page.Locator(".turn.current[data-start='17.5']").WaitForAsync();
        await Axe.AssertAccessibleAsync(page);
        chromium.AssertNoPolicyViolations();
    }

    [Fact]
    public async Task LongCall_DeepLinkToALateSecond_LandsOnItsLine_AndOtherChunksLoadOnScrollAndSeek()
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("rae@test.local", "review-pass-123");
        var chunks = new System.Collections.Concurrent.ConcurrentBag<string>();
        page.Request += (_, request) => { if (request.Url.Contains("/transcript?chunk=", StringComparison.Ordinal)) chunks.Add(new Uri(request.Url).Query); };

        // 16:45 is in the fourth chunk (15:00–20:00): the page carries that one, the current line is the one from 16:40.
        await page.GotoAsync($"/review/{app.LongCallId}?t=1005");
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        var current = page.Locator(".turn.current");
        await current.WaitForAsync();
        Assert.Equal("1000", await current.GetAttributeAsync("data-start"));
        Assert.EndsWith("line 100", (await current.InnerTextAsync()).Trim());
        await CurrentLineInTranscriptViewAsync(page);
        Assert.Equal(3, await page.Locator(".transcript-chunk").CountAsync());

        // Scrolling the transcript to its top loads the first chunk; its lines seek when clicked.
        await page.Locator("[data-transcript]").EvaluateAsync("el => el.scrollTop = 0");
        await page.Locator(".turn[data-start='0']").WaitForAsync();
        await page.Locator(".turn[data-start='30']").ClickAsync();
        await page.Locator(".turn.current[data-start='30']").WaitForAsync();

        // Seeking (the waveform, a marker, the keyboard) into a chunk not loaded yet loads it and highlights the line.
        await page.EvaluateAsync("() => document.querySelector('[data-timeline]').timeline.seek(652)");
        await page.Locator(".turn.current[data-start='650']").WaitForAsync();
        await CurrentLineInTranscriptViewAsync(page);
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Locator(".turn.current[data-start='650']").WaitForAsync();

        // Each chunk was asked for once at most, and every line is there exactly once.
        Assert.Equal(chunks.Count, chunks.Distinct().Count());
        await page.Locator("[data-transcript]").EvaluateAsync("el => el.scrollTop = el.scrollHeight");
        await page.WaitForFunctionAsync("() => !document.querySelector('.transcript-chunk')");
        var lines = await page.Locator(".turn").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.start)");
        Assert.Equal(Enumerable.Range(0, 120).Select(i => (i * 10).ToString(CultureInfo.InvariantCulture)), lines);
        chromium.AssertNoPolicyViolations();
    }

    /// <summary>Waits until the current line is inside the transcript's scrolled view (lines take their real height once shown).</summary>
    private static Task CurrentLineInTranscriptViewAsync(IPage page) =>
        page.WaitForFunctionAsync(
            """
            () => {
              const li = document.querySelector('.turn.current'), list = li?.closest('[data-transcript]');
              if (!list) return false;
              const box = list.getBoundingClientRect(), r = li.getBoundingClientRect();
              return r.top >= box.top && r.bottom <= box.bottom;
            }
            """, null, new() { Timeout = 5000 });

    /// <summary>The region wavesurfer draws for the annotation sits at its time (left edge as a share of the call).</summary>
    private static async Task AssertRegionAtAsync(IPage page, decimal start)
    {
        var region = page.Locator($"[data-marker-id]").First;
        await region.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var left = await region.EvaluateAsync<string>("el => el.style.left");
        var percent = decimal.Parse(left.TrimEnd('%'), CultureInfo.InvariantCulture);
        Assert.InRange(percent, start / 30m * 100 - 0.5m, start / 30m * 100 + 0.5m);
    }

    /// <summary>
    /// Records the page's requests for the call's audio and peaks: the timeline falls back to a flat waveform without
    /// peaks, so only the answers the app gave show whether it served the call's media.
    /// </summary>
    internal sealed class CallMedia
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(string Path, int Status, string? Type)> _answers = new();

        public CallMedia(IPage page, int callId) =>
            page.Response += (_, response) =>
            {
                var path = new Uri(response.Url).AbsolutePath;
                if (path == $"/calls/{callId}/audio" || path == $"/calls/{callId}/peaks")
                    _answers.Enqueue((path, response.Status, response.Headers.GetValueOrDefault("content-type")));
            };

        /// <summary>Both were fetched from the app and answered with their content (206: a range of the audio).</summary>
        public void AssertServed(int callId)
        {
            foreach (var (path, type) in new[] { ($"/calls/{callId}/audio", "audio/"), ($"/calls/{callId}/peaks", "application/json") })
            {
                var answers = _answers.Where(a => a.Path == path).ToList();
                Assert.True(answers.Count > 0, $"the page never fetched {path}");
                Assert.All(answers, a => Assert.True(a.Status is 200 or 206 && a.Type?.StartsWith(type, StringComparison.Ordinal) == true,
                    $"{path} answered {a.Status} {a.Type}"));
            }
        }
    }
}
