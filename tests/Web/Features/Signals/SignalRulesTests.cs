using CallReview.Web.Features.Signals;
using static CallReview.Web.Features.Signals.SignalRules;

namespace CallReview.Tests.Web.Features.Signals;

/// <summary>Each rule on constructed two-channel turns with known silences, overlaps and words.</summary>
public sealed class SignalRulesTests
{
    private static Turn A(double start, double end, string text) => new("agent", Ms(start), Ms(end), text);
    private static Turn C(double start, double end, string text) => new("customer", Ms(start), Ms(end), text);
    private static long Ms(double s) => (long)Math.Round(s * 1000);

    private static Evaluation Run(IReadOnlyList<Turn> turns, SignalSettings? settings = null, double[]? agentLevels = null, bool[]? agentTone = null) =>
        Evaluate(turns, turns.Max(t => t.EndMs) + 1000, "en", settings ?? SignalSettings.Default, agentLevels, agentTone);

    private static List<Found> Of(Evaluation e, string rule) => e.Signals.Where(s => s.Rule == rule).ToList();

    [Fact]
    public void DeadAir_SilenceOverThreeSeconds_OneSignalWithItsLengthAndTheCallTotal()
    {
        var e = Run([A(0, 3, "Hello, how can I help?"), C(3.5, 6, "My order is late."), A(13.4, 16, "I found it."), C(18.9, 20, "Thanks.")]);
        var dead = Assert.Single(Of(e, SignalRule.DeadAir));
        Assert.Equal((6000, 13400, 7.4, 3.0), (dead.StartMs, dead.EndMs, dead.Value, dead.Threshold));
        Assert.Equal(7400, e.Measures.DeadAirMs);
        Assert.Equal("silence 7.4 s > 3 s", SignalRule.Find(SignalRule.DeadAir)!.Explain(dead.Value, dead.Threshold, dead.Detail));
    }

    [Fact]
    public void DeadAir_ThresholdFromTheTeamsSettings()
    {
        var turns = new[] { A(0, 3, "Hello."), C(3.5, 6, "My order is late."), A(13.4, 16, "I found it.") };
        Assert.Empty(Of(Run(turns, SignalSettings.Default with { DeadAirSeconds = 10 }), SignalRule.DeadAir));
        Assert.Single(Of(Run(turns, SignalSettings.Default with { DeadAirSeconds = 7 }), SignalRule.DeadAir));
    }

    [Fact]
    public void Hold_SoundOnTheAgentChannel_IsLongHoldNotDeadAir()
    {
        var levels = Enumerable.Range(0, 80).Select(s => s is >= 6 and < 50 ? 0.2 : 0.0).ToArray();
        var e = Run([A(0, 5, "Let me put you on hold."), C(5.2, 6, "Okay."), A(50, 53, "Thanks for holding."), C(53.5, 55, "Sure.")], agentLevels: levels);
        var hold = Assert.Single(Of(e, SignalRule.LongHold));
        Assert.Equal((6000, 50000, 44.0), (hold.StartMs, hold.EndMs, hold.Value));
        Assert.Empty(Of(e, SignalRule.DeadAir));
        Assert.Equal(44000, e.Measures.HoldMs);
        Assert.Equal(0, e.Measures.DeadAirMs);

        // The same silence without sound on the agent's channel is dead air.
        var silent = Run([A(0, 5, "Let me put you on hold."), C(5.2, 6, "Okay."), A(50, 53, "Thanks for holding.")], agentLevels: new double[80]);
        Assert.Single(Of(silent, SignalRule.DeadAir));
        Assert.Empty(Of(silent, SignalRule.LongHold));
    }

    [Fact]
    public void Hold_TheConfiguredToneInAQuietSilence_IsLongHold()
    {
        // A beep every 15 s, too quiet and too short for the loudness rule.
        var quiet = new double[80];
        var tone = Enumerable.Range(0, 80).Select(s => s is 20 or 35).ToArray();
        Turn[] turns = [A(0, 5, "Let me put you on hold."), C(5.2, 6, "Okay."), A(50, 53, "Thanks for holding."), C(53.5, 55, "Sure.")];

        var e = Run(turns, agentLevels: quiet, agentTone: tone);

        Assert.Equal((6000L, 50000L, 44.0), Of(e, SignalRule.LongHold).Select(h => (h.StartMs, h.EndMs, h.Value)).Single());
        Assert.Empty(Of(e, SignalRule.DeadAir));
        Assert.Equal(44000, e.Measures.HoldMs);
        // No tone in it (none configured, or heard only while someone speaks): dead air.
        Assert.Single(Of(Run(turns, agentLevels: quiet), SignalRule.DeadAir));
        Assert.Single(Of(Run(turns, agentLevels: quiet, agentTone: Enumerable.Range(0, 80).Select(s => s == 2).ToArray()), SignalRule.DeadAir));
    }

    [Fact]
    public void TalkOver_AttributedToWhoeverStartedSecond()
    {
        var e = Run([A(0, 5, "Your plan includes calls and texts and data."), C(3, 7, "No, that is not what I asked you about."),
            C(10, 15, "I want to know why the bill went up."), A(12, 16, "Let me stop you there, it is the new tariff.")]);
        var overs = Of(e, SignalRule.TalkOver);
        Assert.Equal(2, overs.Count);
        Assert.Equal(("customer", 3000L, 5000L, 2.0), (overs[0].Speaker, overs[0].StartMs, overs[0].EndMs, overs[0].Value));
        Assert.Equal(("agent", 12000L, 15000L, 3.0), (overs[1].Speaker, overs[1].StartMs, overs[1].EndMs, overs[1].Value));
        Assert.Equal(2, e.Measures.Interruptions);
    }

    [Fact]
    public void TalkOver_BackchannelsAreNotInterruptions()
    {
        var e = Run([A(0, 12, "So first you open the app, then you go to settings, then billing, then you pick the plan."),
            C(2, 2.6, "Mm-hm."), C(5, 6.8, "Yes, okay, right."), C(8, 9.5, "Yeah. I see.")]);
        Assert.Empty(Of(e, SignalRule.TalkOver));
        Assert.Equal(0, e.Measures.Interruptions);
        Assert.True(IsBackchannel("Okay, mm-hm.", SignalSettings.DefaultBackchannels));
        Assert.False(IsBackchannel("Okay, but why?", SignalSettings.DefaultBackchannels));
    }

    [Fact]
    public void TalkRatio_AgentOverSeventyPercent()
    {
        var e = Run([A(0, 40, "Let me explain everything about the plan."), C(41, 45, "Fine."), A(46, 60, "And there is more.")]);
        var ratio = Assert.Single(Of(e, SignalRule.TalkRatio));
        Assert.Equal(Math.Round(100.0 * 54 / 58, 1), ratio.Value);
        Assert.Empty(Of(Run([A(0, 10, "Hello."), C(11, 20, "Hi, my bill is wrong.")]), SignalRule.TalkRatio));
    }

    [Fact]
    public void AgentPace_WordsPerMinutePerTurn()
    {
        var fast = string.Join(' ', Enumerable.Repeat("word", 16));
        var e = Run([A(0, 4, fast), C(5, 8, "What?"), A(9, 13, "I said eight words at a calm pace.")]);
        var pace = Assert.Single(Of(e, SignalRule.AgentPace));
        Assert.Equal((0L, 240.0), (pace.StartMs, pace.Value));
    }

    [Fact]
    public void Monologue_LongestAgentStretchAcrossBackchannels()
    {
        var e = Run([A(0, 30, "First part."), C(32, 32.5, "Mm-hm."), A(31, 65, "Second part."), C(66, 70, "Can I ask something?"), A(71, 80, "Sure.")]);
        var monologue = Assert.Single(Of(e, SignalRule.Monologue));
        Assert.Equal((0L, 65000L, 65.0), (monologue.StartMs, monologue.EndMs, monologue.Value));
        Assert.Equal(65000, e.Measures.LongestMonologueMs);
        Assert.Empty(Of(Run([A(0, 30, "First part."), C(31, 35, "Really? Tell me more."), A(36, 70, "Second part.")]), SignalRule.Monologue));
    }

    [Fact]
    public void ReplyGap_CustomerWaitsForTheAgent()
    {
        var e = Run([A(0, 3, "Hello."), C(3.5, 10, "Where is my parcel?"), A(16, 18, "Checking."), C(18.5, 20, "Thanks."), C(26, 27, "Hello?")]);
        var gap = Assert.Single(Of(e, SignalRule.ReplyGap));
        Assert.Equal((10000L, 16000L, 6.0, "agent"), (gap.StartMs, gap.EndMs, gap.Value, gap.Speaker));
    }

    [Fact]
    public void Frustration_PhrasesInCustomerTurnsOnly()
    {
        var e = Run([A(0, 3, "If you want to speak to a manager, say so."), C(4, 9, "This is the THIRD time I'm calling, and this is ridiculous!")]);
        var phrases = Of(e, SignalRule.Frustration).Select(f => f.Detail).ToList();
        Assert.Contains("third time I'm calling", phrases);
        Assert.Contains("this is ridiculous", phrases);
        Assert.DoesNotContain("speak to a manager", phrases);
        Assert.All(Of(e, SignalRule.Frustration), f => Assert.Equal("customer", f.Speaker));
        // Each phrase is placed where its words fall in the turn: "this is ridiculous" ends the 4–9 s turn.
        Assert.InRange(Of(e, SignalRule.Frustration).Single(f => f.Detail == "this is ridiculous").StartMs, 7000, 8000);
        var custom = Run([C(0, 3, "I will go to the press.")], SignalSettings.Default with { Phrases = new Dictionary<string, IReadOnlyList<string>> { ["en"] = ["go to the press"] } });
        Assert.Single(Of(custom, SignalRule.Frustration));
    }

    [Fact]
    public void RepeatedQuestion_WordOverlapBetweenCustomerQuestions()
    {
        var e = Run([C(0, 4, "When will the refund for my broken washing machine arrive?"), A(5, 9, "We value you as a customer."),
            C(10, 14, "Can you tell me when the refund for the washing machine will arrive?"), C(15, 18, "What is your opening time?")]);
        var repeated = Assert.Single(Of(e, SignalRule.RepeatedQuestion));
        Assert.Equal((10000L, 80.0, "first asked at 0:00.0"), (repeated.StartMs, repeated.Value, repeated.Detail));
    }
}
