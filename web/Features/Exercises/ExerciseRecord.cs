namespace CallReview.Web.Features.Exercises;

/// <summary>
/// An Exercise row as the builder edits it and the learner's pages score it. It holds the scoring rules, so it
/// never goes into a learner's view whole: pages copy what they may show.
/// </summary>
public sealed class ExerciseRecord
{
    public const string Columns =
        "e.Id, e.Title, e.Kind, e.CallId, e.SecondCallId, e.BetterSide, e.ExcerptStartMs, e.ExcerptEndMs, e.ShowTranscript, e.FullCreditMs, e.ZeroCreditMs, " +
        "e.Difficulty, e.Hints, e.ModelAnswer, e.CritiqueKeywords, e.CritiqueMinChars, e.Status, e.IsTrainingMaterial, e.Language";

    public int Id { get; init; }
    public string Title { get; init; } = "";
    /// <summary>The language the exercise's call is spoken in (a whisper code such as "ro"), or null when not said.</summary>
    public string? Language { get; init; }
    public string Kind { get; init; } = "";
    public int CallId { get; init; }
    public int? SecondCallId { get; init; }
    public string? BetterSide { get; init; }
    public long? ExcerptStartMs { get; init; }
    public long? ExcerptEndMs { get; init; }
    public bool ShowTranscript { get; init; }
    public long FullCreditMs { get; init; }
    public long ZeroCreditMs { get; init; }
    public int Difficulty { get; init; }
    public string Hints { get; init; } = "";
    public string ModelAnswer { get; init; } = "";
    public string CritiqueKeywords { get; init; } = "";
    public int CritiqueMinChars { get; init; }
    public string Status { get; init; } = "draft";
    /// <summary>Training material keeps its excerpt's audio and words when retention anonymises the call.</summary>
    public bool IsTrainingMaterial { get; init; }

    /// <summary>Where a side's player starts on its call's clock: an excerpt of the first call starts late.</summary>
    public long OffsetMs(string side) => side == "a" ? ExcerptStartMs ?? 0 : 0;

    public int? CallOf(string side) => side switch { "a" => CallId, "b" => SecondCallId, _ => null };
}
