using CallReview.Db;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>
/// The demo supervisor's trends and one agent's performance review on the demo history: nothing spills sideways on a
/// laptop, a phone or paper (print media), and the printed review keeps its content and drops the page chrome.
/// </summary>
[Collection(BrowserJourneys.Name)]
public sealed class TrendsLayoutTests(TrendsLayoutTests.App app) : IClassFixture<TrendsLayoutTests.App>
{
    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public int Agent { get; private set; }

        public async Task InitializeAsync()
        {
            await SeedDemoAsync();
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            Agent = await connection.ExecuteScalarAsync<int>("SELECT AgentUserId FROM TrendCall GROUP BY AgentUserId ORDER BY COUNT(*) DESC");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    /// <summary>How far the page is wider than its viewport, in CSS pixels (0 when nothing spills).</summary>
    private static Task<int> SpillAsync(IPage page) =>
        page.EvaluateAsync<int>("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)");

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task DashboardAndAgentReview_FitTheScreenAndThePrintedPage(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync("supervisor@demo.callreview.local", "demo-password-1");
        await page.SetViewportSizeAsync(width, height);

        await page.GotoAsync("/trends");
        await page.Locator("[data-chart=unmet] svg").WaitForAsync();
        await Chromium.ScreenshotAsync(page, $"trends-dashboard-{width}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ScreenshotDirectory, $"trends-dashboard-{width}-full.png"), FullPage = true });
        Assert.Equal(0, await SpillAsync(page));

        // Every filter select is wide enough for the option it shows (at 1366 px it used to show "All categorie").
        var cut = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('.trend-filters select')].filter(s => {
            const probe = s.cloneNode(false);
            probe.replaceChildren(new Option(s.selectedOptions[0].text));
            probe.style.cssText = 'position:absolute;width:auto;max-width:none;visibility:hidden';
            s.after(probe); // beside it, so it has the same font
            const needed = probe.getBoundingClientRect().width;
            probe.remove();
            return s.getBoundingClientRect().width + 0.5 < needed;
        }).map(s => s.name)");
        Assert.Empty(cut);

        // Printed, each chart's table shows although its <details> is closed on screen.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        var chartTables = page.Locator("[data-chart=unmet] .chart-table table");
        Assert.True(await chartTables.IsVisibleAsync(), "the chart's table is hidden in print");
        Assert.Contains("95% interval", await chartTables.InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ScreenshotDirectory, $"trends-dashboard-{width}-print.png"), FullPage = true });
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        Assert.False(await chartTables.IsVisibleAsync(), "on screen the chart's table stays folded away");

        if (width > 1000)
        {
            // The spike: the tallest "wrong information" bar leads to the moments behind it, and one opens the review there.
            var bars = page.Locator("[data-chart=unmet-by-category] a.segment[href*='category=wrong-information']");
            var heights = new List<double>();
            for (var i = 0; i < await bars.CountAsync(); i++)
                heights.Add(double.Parse(await bars.Nth(i).Locator("rect").GetAttributeAsync("height") ?? "0", System.Globalization.CultureInfo.InvariantCulture));
            await bars.Nth(heights.IndexOf(heights.Max())).ClickAsync();
            await page.WaitForPageAsync(url => url.Contains("/trends/evidence") && url.Contains("category=wrong-information"));
            var moment = page.Locator("a[data-moment]").First;
            Assert.Contains("?t=", await moment.GetAttributeAsync("href"));
            await moment.ClickAsync();
            await page.WaitForPageAsync(url => url.Contains("/review/") && url.Contains("?t="));

            var csv = await page.APIRequest.GetAsync("/trends/export.csv");
            Assert.Equal(200, csv.Status);
            var lines = (await csv.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("period_start,period_end,metric", lines[0]);
            Assert.True(lines.Length > 12 * 7, $"only {lines.Length} lines in export.csv");
        }

        await page.GotoAsync($"/trends/agents/{app.Agent}");
        await page.Locator("h1").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ScreenshotDirectory, $"trends-agent-{width}-full.png"), FullPage = true });
        Assert.Equal(0, await SpillAsync(page));

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.ScreenshotDirectory, $"trends-agent-{width}-print.png"), FullPage = true });
        Assert.Equal(0, await SpillAsync(page));
        chromium.AssertNoPolicyViolations();
    }
}
