using System.Net;
using CallReview.Tests.Web.Features.Review;

namespace CallReview.Tests.Web.Features.Signals;

/// <summary>Dead air % and interruptions per call, agent by agent, on the trends page, from the measures kept when signals are computed.</summary>
public sealed class SignalTrendsTests(SignalsFixture app) : IClassFixture<SignalsFixture>
{
    [Fact]
    public async Task Supervisor_SeesDeadAirShareAndInterruptionsPerCallOfTheirAgents()
    {
        await app.CallWithSignalsAsync("Trend one");
        await app.CallWithSignalsAsync("Trend two");
        var sue = await app.As(ReviewFixture.Sue);
        Assert.Contains("hx-get=\"/trends/signals?team=", await sue.GetStringAsync($"/trends?team={app.North}"));

        var html = await sue.HtmxGetStringAsync($"/trends/signals?team={app.North}");
        Assert.Contains("Leo Agent", html);
        // Each call: 7.4 s of dead air in 25 s (29.6 %) and one talk-over; the mean is over the calls (two here, or more
        // when the other test of this class ran first).
        Assert.Matches("29.6 %<br /><small>29.6–29.6 % · n=[2-9]", html);
        Assert.Matches("1.0<br /><small>1.0–1.0 · n=[2-9]", html);
    }

    [Fact]
    public async Task OtherTeamsAndAgents_AreOutOfScope()
    {
        await app.CallWithSignalsAsync("Trend scope");
        Assert.Equal(HttpStatusCode.Forbidden, (await HtmxGetAsync(await app.As(ReviewFixture.Leo), $"/trends/signals?team={app.North}")).StatusCode);
        var admin = await app.AdminAsync();
        var south = await HtmxGetAsync(admin, "/trends/signals?team=" + await app.ScalarAsync<int>("SELECT Id FROM Team WHERE Name = 'South'", new { }));
        Assert.DoesNotContain("Leo Agent", await south.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> HtmxGetAsync(HttpClient client, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("HX-Request", "true");
        return client.SendAsync(request);
    }
}
