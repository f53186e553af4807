using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallReview.Tests.Web.Features.Review;

namespace CallReview.Tests.Web.Features.Signals;

/// <summary>The signals step stores what the rules find; the API answers it in seconds with the call's own access rules.</summary>
public sealed class SignalsApiTests(SignalsFixture app) : IClassFixture<SignalsFixture>
{
    [Fact]
    public async Task Signals_ComputedForATranscribedCall_AnsweredInSecondsWithRuleThresholdAndStatus()
    {
        var callId = await app.CallWithSignalsAsync("Signals API");
        var rita = await app.As(ReviewFixture.Rita);
        var body = await rita.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}/signals");
        var signals = body.GetProperty("signals").EnumerateArray().ToList();

        var dead = Assert.Single(signals, s => s.GetProperty("rule").GetString() == "dead_air");
        Assert.Equal(6.0, dead.GetProperty("start").GetDouble());
        Assert.Equal(13.4, dead.GetProperty("end").GetDouble());
        Assert.Equal(7.4, dead.GetProperty("value").GetDouble());
        Assert.Equal(3.0, dead.GetProperty("threshold").GetDouble());
        Assert.Equal(JsonValueKind.Null, dead.GetProperty("speaker").ValueKind);
        Assert.Equal("suggested", dead.GetProperty("status").GetString());
        Assert.Equal("silence 7.4 s > 3 s", dead.GetProperty("explanation").GetString());

        var over = Assert.Single(signals, s => s.GetProperty("rule").GetString() == "talk_over");
        Assert.Equal("customer", over.GetProperty("speaker").GetString());
        Assert.Equal(2.0, over.GetProperty("value").GetDouble());
        Assert.Contains(signals, s => s.GetProperty("rule").GetString() == "frustration");
        // "Okay." overlaps nothing and is a backchannel anyway: one interruption only.
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT Interruptions FROM CallSignalMeasure WHERE CallId = @callId", new { callId }));
        Assert.Equal(7400, await app.ScalarAsync<long>("SELECT DeadAirMs FROM CallSignalMeasure WHERE CallId = @callId", new { callId }));
    }

    [Fact]
    public async Task Signals_SameAccessAsTheCall_AnotherTeamGets404_TheAgentSeesTheirOwn()
    {
        var callId = await app.CallWithSignalsAsync("Signals access");
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.As(ReviewFixture.Sam)).GetAsync($"/api/calls/{callId}/signals")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await app.As(ReviewFixture.Leo)).GetAsync($"/api/calls/{callId}/signals")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.NewClient().GetAsync($"/api/calls/{callId}/signals")).StatusCode);
    }

    [Fact]
    public async Task Rerun_KeepsDecisions_AndDoesNotSuggestADecidedSignalAgain()
    {
        var callId = await app.CallWithSignalsAsync("Signals re-run");
        var before = await app.ScalarAsync<int>("SELECT COUNT(*) FROM CallSignal WHERE CallId = @callId", new { callId });
        await app.ScalarAsync<int>("UPDATE CallSignal SET Status = 'dismissed' WHERE CallId = @callId AND RuleCode = 'dead_air'", new { callId });

        await app.ComputeAsync(callId);

        Assert.Equal(before, await app.ScalarAsync<int>("SELECT COUNT(*) FROM CallSignal WHERE CallId = @callId", new { callId }));
        Assert.Equal("dismissed", await app.ScalarAsync<string>("SELECT Status FROM CallSignal WHERE CallId = @callId AND RuleCode = 'dead_air'", new { callId }));
    }

    [Fact]
    public async Task HoldMusicOnTheAgentChannel_IsLongHoldNotDeadAir()
    {
        TestCalls.Turn[] turns =
        [
            new("agent", 0.5, 4.0, "Let me put you on hold for a moment."), new("customer", 4.2, 5.0, "Okay."),
            new("agent", 45.0, 48.0, "Thank you for holding."), new("customer", 48.5, 50.0, "No problem."),
        ];
        var callId = await app.InsertCallAsync("Hold", app.North, app.LeoId, turns, durationSeconds: 52, withAudio: true);
        await SignalsFixture.WriteSpeechPeaksAsync(app, callId, turns, 52, agentSound: (5.5, 44.5));
        await app.ComputeAsync(callId);
        var rules = (await (await app.As(ReviewFixture.Rita)).GetFromJsonAsync<JsonElement>($"/api/calls/{callId}/signals"))
            .GetProperty("signals").EnumerateArray().Select(s => (s.GetProperty("rule").GetString(), s.GetProperty("value").GetDouble())).ToList();
        Assert.Contains(("long_hold", 40.0), rules);
        Assert.DoesNotContain(rules, r => r.Item1 == "dead_air");

        // Without the music the same silence is dead air.
        await SignalsFixture.WriteSpeechPeaksAsync(app, callId, turns, 52);
        await app.ComputeAsync(callId);
        Assert.Equal(40000, await app.ScalarAsync<long>("SELECT DeadAirMs FROM CallSignalMeasure WHERE CallId = @callId", new { callId }));
        Assert.Equal(0, await app.ScalarAsync<long>("SELECT HoldMs FROM CallSignalMeasure WHERE CallId = @callId", new { callId }));
    }
}
