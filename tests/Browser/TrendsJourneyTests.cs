using CallReview.Db;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Review;
using CallReview.Tests.Web.Features.Signals;
using CallReview.Web.Features.Signals;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>A supervisor opens the trends in a real browser: the charts are drawn, and a category bar leads to the moment on the review page.</summary>
[Collection(BrowserJourneys.Name)]
public sealed class TrendsJourneyTests(TrendsJourneyTests.App app) : IClassFixture<TrendsJourneyTests.App>
{
    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public int CallWithAudio { get; private set; }

        public async Task InitializeAsync()
        {
            _ = BaseUrl;
            var admin = await AdminAsync();
            var team = await admin.CreateTeamAsync("Green");
            await admin.CreateUserAsync("sam@test.local", "Sam Supervisor", "supervisor-pass-1", ["supervisor"], team);
            await admin.CreateUserAsync("ada@test.local", "Ada Agent", "agent-pass-123", ["learner"], team);
            var agent = await this.UserIdAsync("ada@test.local");
            var supervisor = await this.UserIdAsync("sam@test.local");
            var db = Services.GetRequiredService<IDbConnectionFactory>();
            await using var connection = await db.OpenAsync();
            await connection.ExecuteAsync("UPDATE TeamMembership SET FromAt = @from", new { from = DateTimeOffset.UtcNow.AddDays(-120) });
            // Twenty reviewed calls over the last weeks; only the newest has audio and the "timeliness" moment at 12.5 s. The ten
            // oldest hold 7.4 s of dead air and a talk-over each (24.7 % of their 30 s), the newer ones neither: the signals improve.
            using var scope = Services.CreateScope();
            var signals = scope.ServiceProvider.GetRequiredService<ComputeSignals.Handler>();
            for (var i = 0; i < 20; i++)
            {
                var withAudio = i == 0;
                var callId = await this.InsertCallAsync($"Call {i}", team, agent, i >= 10 ? SignalsFixture.Turns : null, withAudio: withAudio);
                var at = DateTimeOffset.UtcNow.AddDays(-1 - 4 * i);
                await connection.ExecuteAsync("UPDATE Call SET StartedAt = @at WHERE Id = @callId", new { at, callId });
                await connection.ExecuteAsync(
                    "INSERT INTO ScorecardResult (CallId, RubricVersionId, ReviewerUserId, Score, AutoFailed, Comment, CreatedAt, UpdatedAt) VALUES (@callId, 1, @supervisor, @score, 0, '', @at, @at)",
                    new { callId, supervisor, score = 60 + i, at });
                await connection.ExecuteAsync(
                    "INSERT INTO Annotation (CallId, Kind, StartMs, CategoryCode, Severity, Quote, Expected, AuthorUserId, CreatedAt, UpdatedAt) VALUES (@callId, 'unmet', @startMs, @category, 2, 'I have been waiting for a refund for a month.', '', @supervisor, @at, @at)",
                    new { callId, startMs = 12_500, category = withAudio ? "timeliness" : "no-empathy", supervisor, at });
                if (withAudio)
                    CallWithAudio = callId;
                await signals.RunAsync(callId, default);
            }
            // Written in SQL beside the review handlers, so the trend facts are rebuilt as after any bulk load.
            await Services.GetRequiredService<CallReview.Web.Features.Trends.TrendFactStore>().RebuildAsync(default);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task Supervisor_SeesChartsDrawn_AndDrillsFromACategoryToTheMoment()
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("sam@test.local", "supervisor-pass-1");
        var media = new ReviewJourneyTests.CallMedia(page, app.CallWithAudio);
        await page.GotoAsync("/trends");

        var line = page.Locator("[data-chart=unmet] svg");
        await line.WaitForAsync();
        var box = await line.BoundingBoxAsync();
        Assert.True(box is { Width: > 200, Height: > 60 }, "the line chart has no size");
        Assert.True(await page.Locator("[data-chart=unmet] a.point circle").CountAsync() >= 5);
        Assert.True(await page.Locator("[data-chart=score] path.line").GetAttributeAsync("d") is { Length: > 10 });
        Assert.Contains("n=", await page.Locator("[data-chart=unmet] a.point text").First.TextContentAsync());

        // The timeliness bar of the newest week opens the evidence; its moment opens the review at 12.5 s.
        var segment = page.Locator("[data-chart=unmet-by-category] a.segment[href*='category=timeliness']").Last;
        await segment.ClickAsync();
        await page.WaitForPageAsync(url => url.Contains("/trends/evidence"));
        var moment = page.Locator("a[data-moment]");
        Assert.Equal(1, await moment.CountAsync());
        await moment.ClickAsync();
        await page.WaitForPageAsync(url => url.Contains($"/review/{app.CallWithAudio}?t=12.5"));
        await page.Locator("[data-timeline][data-ready=true]").WaitForAsync();
        await page.Locator(".turn.current[data-start='12.5']").WaitForAsync();
        Assert.StartsWith("0:12.5", await page.Locator("[data-current]").TextContentAsync());
        media.AssertServed(app.CallWithAudio);
        chromium.AssertNoPolicyViolations();
    }

    public static TheoryData<int, int> Screens => new() { { 1366, 900 }, { 390, 844 } };

    [Theory, MemberData(nameof(Screens))]
    public async Task Supervisor_SeesDeadAirAndInterruptionsPerCallOfTheAgent_PeriodByPeriod(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("sam@test.local", "supervisor-pass-1");
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync("/trends?by=month");

        // The section arrives after the page (htmx, with the page's filters).
        var table = page.Locator("#signal-trends table.signal-trends");
        await table.WaitForAsync();
        Assert.Contains("Ada Agent", await table.Locator("tbody th").First.InnerTextAsync());
        async Task<List<string>> ValuesAsync(string measure) =>
            (await table.Locator("tbody tr", new() { HasText = measure }).Locator("td.estimate").AllInnerTextsAsync())
            .Select(v => v.Split('\n')[0].Trim()).ToList();
        var deadAir = await ValuesAsync("dead air");
        var interruptions = await ValuesAsync("interruptions / call");
        // Months with calls show a figure (the table starts at the first of them); the oldest month had only the long silences,
        // the newest none; "All" comes last.
        Assert.NotEqual("–", deadAir[0]);
        var deadAirMonths = deadAir[..^1].Where(v => v != "–").ToList();
        Assert.True(deadAirMonths.Count >= 2, string.Join(", ", deadAir));
        Assert.Equal("24.7 %", deadAirMonths[0]);
        Assert.Equal("0.0 %", deadAirMonths[^1]);
        var interruptionMonths = interruptions[..^1].Where(v => v != "–").ToList();
        Assert.Equal(("1.0", "0.0"), (interruptionMonths[0], interruptionMonths[^1]));
        Assert.Equal(("12.3 %", "0.5"), (deadAir[^1], interruptions[^1]));
        Assert.Contains("n=20", await table.Locator("tbody tr", new() { HasText = "dead air" }).Locator("td.estimate").Last.InnerTextAsync());

        await Axe.AssertAccessibleAsync(page);
        await page.Locator("#signal-trends").ScrollIntoViewIfNeededAsync();
        await Chromium.ScreenshotAsync(page, $"signal-trends-{width}x{height}");
        chromium.AssertNoPolicyViolations();
    }
}
