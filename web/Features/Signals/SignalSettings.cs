using System.Text.Json;

namespace CallReview.Web.Features.Signals;

/// <summary>
/// A team's thresholds and phrase lists for the signal rules. Defaults are published figures where one exists (each
/// rule's <see cref="SignalRule.Source"/> says where it comes from); a team without its own settings uses them.
/// Stored as JSON in <c>TeamSignalSettings</c>; a property missing from stored JSON takes its default.
/// </summary>
public sealed record SignalSettings
{
    public double DeadAirSeconds { get; init; } = 3;
    public double TalkOverSeconds { get; init; } = 1;
    /// <summary>A turn shorter than this, or made only of backchannel words, is not an interruption.</summary>
    public double BackchannelSeconds { get; init; } = 1;
    public double AgentTalkPercent { get; init; } = 70;
    /// <summary>Within one turn, so without the pauses between sentences that overall rates include (see <see cref="SignalRule.Source"/>).</summary>
    public double AgentWordsPerMinute { get; init; } = 230;
    public double MonologueSeconds { get; init; } = 60;
    public double ReplyGapSeconds { get; init; } = 5;
    /// <summary>Share of the shorter question's content words that a later customer question repeats.</summary>
    public double RepeatOverlapPercent { get; init; } = 60;
    public double HoldSeconds { get; init; } = 30;
    /// <summary>The frequency of the telephone system's hold tone (or repeated hold beep) on the agent's channel; 0 when none is configured.</summary>
    public double HoldToneHz { get; init; }

    public IReadOnlyList<string> Backchannels { get; init; } = DefaultBackchannels;

    /// <summary>Frustration and escalation phrases per language code ("en", "it", …), matched in customer turns.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Phrases { get; init; } = DefaultPhrases;

    public static readonly IReadOnlyList<string> DefaultBackchannels =
        ["yes", "yeah", "yep", "ok", "okay", "right", "sure", "mm", "mhm", "mm-hm", "mm-hmm", "uh-huh", "hmm", "i see", "got it", "alright", "all right", "no", "sì", "si", "va bene", "certo", "da"];

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> DefaultPhrases = new Dictionary<string, IReadOnlyList<string>>
    {
        ["en"] =
        [
            "third time I'm calling", "third time I have called", "this is the third time", "second time I'm calling",
            "speak to a manager", "speak to your manager", "talk to a manager", "talk to your supervisor", "speak to a supervisor",
            "this is ridiculous", "this is unacceptable", "not acceptable", "I want to cancel", "make a complaint", "file a complaint", "formal complaint",
            "nobody called me back", "waste of time", "fed up", "I've had enough", "you people",
        ],
        ["it"] = ["è la terza volta che chiamo", "voglio parlare con un responsabile", "è ridicolo", "è inaccettabile", "voglio fare un reclamo"],
        ["ro"] = ["a treia oară când sun", "vreau să vorbesc cu un manager", "este ridicol", "este inacceptabil", "vreau să fac o reclamație"],
    };

    /// <summary>Declared after the lists it is made of: static fields initialise in order.</summary>
    public static readonly SignalSettings Default = new();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SignalSettings FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? Default : JsonSerializer.Deserialize<SignalSettings>(json, Json) ?? Default;

    /// <summary>The phrases for a call's language, English when the language has no list.</summary>
    public IReadOnlyList<string> PhrasesFor(string? language) =>
        language is not null && Phrases.TryGetValue(language, out var list) ? list
        : Phrases.TryGetValue("en", out var english) ? english : [];
}
