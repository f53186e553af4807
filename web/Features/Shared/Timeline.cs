using System.Globalization;

namespace CallReview.Web.Features.Shared;

/// <summary>
/// What the shared timeline partial (<c>_Timeline.cshtml</c> + <c>wwwroot/js/timeline.js</c>) draws: a call's
/// audio, waveform, transcript turns and markers. Markers are only rendered when the page puts them in the
/// model, so a page that must hide answers (an exercise before submission) simply passes none.
/// </summary>
public sealed class Timeline
{
    public required int CallId { get; init; }
    public required long DurationMs { get; init; }
    /// <summary>'mono', 'agent-left' or 'agent-right': which waveform channel is the agent's.</summary>
    public required string Layout { get; init; }
    public string? AudioUrl { get; init; }
    public string? PeaksUrl { get; init; }
    public IReadOnlyList<Turn> Turns { get; init; } = [];
    /// <summary>Where <c>m</c>, <c>[</c> and <c>]</c> load the annotation form (GET with start/end in seconds); null = read-only.</summary>
    public string? MarkUrl { get; init; }
    /// <summary>The element the mark form is loaded into.</summary>
    public string? MarkTarget { get; init; }
    /// <summary>Seconds to start at, e.g. from a search result (<c>?t=</c>).</summary>
    public decimal? StartAt { get; init; }

    public sealed class Turn
    {
        public int Channel { get; init; }
        public string Speaker { get; init; } = "";
        public long StartMs { get; init; }
        public long EndMs { get; init; }
        public string Text { get; init; } = "";
    }

    public static string Seconds(long ms) => (ms / 1000m).ToString("0.###", CultureInfo.InvariantCulture);

    public static string Seconds(long? ms) => ms is { } value ? Seconds(value) : "";
}
