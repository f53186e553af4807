using System.Globalization;

namespace CallReview.Web.Features.Signals;

/// <summary>
/// One rule of the signals: its code (stored and sent by the API), how its measured value reads against its threshold
/// ("silence 7.4 s &gt; 3 s"), the unmet-need category an accepted suggestion becomes, and where its default comes from.
/// </summary>
public sealed record SignalRule(string Code, string Name, string Measure, string Unit, string Category, Func<SignalSettings, double> Threshold,
    string Source)
{
    public const string DeadAir = "dead_air";
    public const string TalkOver = "talk_over";
    public const string TalkRatio = "talk_ratio";
    public const string AgentPace = "agent_pace";
    public const string Monologue = "monologue";
    public const string ReplyGap = "reply_gap";
    public const string Frustration = "frustration";
    public const string RepeatedQuestion = "repeated_question";
    public const string LongHold = "long_hold";

    public static readonly IReadOnlyList<SignalRule> All =
    [
        new(DeadAir, "Dead air", "silence", "s", "timeliness", s => s.DeadAirSeconds,
            "3 s, the dead-air length cited for Amazon Contact Lens and NICE; Google CCAI Insights counts silences over 5 s, Amazon Transcribe Call Analytics lets each rule set its own. Hold (sound on the agent's channel) is not dead air."),
        new(TalkOver, "Talk-over", "overlap", "s", "not-listening", s => s.TalkOverSeconds,
            "1 s of both channels speaking, attributed to whoever started second; turns under 1 s or of backchannel words only (\"yes\", \"mm-hm\", \"okay\") are not interruptions."),
        new(TalkRatio, "Agent talk ratio", "agent talk", "%", "not-listening", s => s.AgentTalkPercent,
            "70 % of the call's talk by the agent: CallReview's choice (no published standard); an agent talking most of the call leaves the customer unheard."),
        new(AgentPace, "Agent speaking rate", "agent pace", "wpm", "information-not-given", s => s.AgentWordsPerMinute,
            "230 words a minute within an agent turn of 3 s or more: CallReview's choice. The 140–160 wpm commonly taught for phone service counts the pauses between sentences; a turn timed from its first word to its last has none and reads about 1.3 times faster (espeak-ng set to 150 wpm measures 180–213 wpm this way, set to 175 wpm 212–251), so 230 within a turn is about 175–180 wpm overall."),
        new(Monologue, "Longest agent monologue", "monologue", "s", "not-listening", s => s.MonologueSeconds,
            "60 s of the agent speaking with no customer turn between (pauses under the dead-air threshold), the call's longest only: CallReview's choice."),
        new(ReplyGap, "Customer reply gap", "reply gap", "s", "timeliness", s => s.ReplyGapSeconds,
            "5 s from the customer's last word to the agent's reply: CallReview's choice."),
        new(Frustration, "Frustration or escalation", "phrase", "", "complaint-mishandled", _ => 1,
            "A phrase from the team's list for the call's language, in a customer turn."),
        new(RepeatedQuestion, "Customer repeats a question", "repeated question", "%", "information-not-given", s => s.RepeatOverlapPercent,
            "60 % of the shorter question's content words again in a later customer question."),
        new(LongHold, "Long hold", "hold", "s", "timeliness", s => s.HoldSeconds,
            "30 s with neither party speaking and sound (music, noise) on the agent's channel for half of it, or the team's hold tone in it: CallReview's choice."),
    ];

    public static SignalRule? Find(string code) => All.FirstOrDefault(r => r.Code == code);

    /// <summary>What a reviewer reads on the marker: "silence 7.4 s &gt; 3 s", "“speak to a manager” (customer)".</summary>
    public string Explain(double value, double threshold, string detail) =>
        Explain(value, threshold, detail, english => english, CultureInfo.InvariantCulture);

    /// <summary>The same in the reader's language: <paramref name="say"/> translates the measure's name, numbers follow <paramref name="numbers"/>.</summary>
    public string Explain(double value, double threshold, string detail, Func<string, string> say, IFormatProvider numbers)
    {
        if (Code == Frustration)
            return string.Format(numbers, say("“{0}” in the customer's words"), detail);
        var comparison = Code == RepeatedQuestion ? "≥" : ">";
        return $"{say(Measure)} {Number(value, numbers)}{UnitText} {comparison} {Number(threshold, numbers)}{UnitText}";
    }

    private string UnitText => Unit switch { "" => "", "%" => " %", _ => " " + Unit };

    private static string Number(double value, IFormatProvider numbers) =>
        value.ToString(Math.Abs(value) >= 100 || value == Math.Round(value) ? "0" : "0.0", numbers);
}
