using System.Globalization;
using CallReview.Transcription.Redaction;

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

    /// <summary>The call's audio is held back until its transcript is stored and card data redaction has run.</summary>
    public bool AudioAwaitsRedaction { get; init; }
    public IReadOnlyList<Turn> Turns { get; init; } = [];
    /// <summary>Where <c>m</c>, <c>[</c> and <c>]</c> load the annotation form (GET with start/end in seconds); null = read-only.</summary>
    public string? MarkUrl { get; init; }
    /// <summary>The element the mark form is loaded into.</summary>
    public string? MarkTarget { get; init; }
    /// <summary>Seconds to start at, e.g. from a search result (<c>?t=</c>).</summary>
    public decimal? StartAt { get; init; }
    /// <summary>Where the audio was muted for card data, and why: shaded on the waveform and listed under it.</summary>
    public IReadOnlyList<CallRedaction.Row> Muted { get; init; } = [];

    /// <summary>
    /// Where the transcript's chunks load from (GET <c>?chunk=n</c>) when the page sends it in chunks, else null and
    /// <see cref="Turns"/> holds every turn. A long call's transcript is most of its page: sent whole, an hour of
    /// turns was read, written and downloaded on every view.
    /// </summary>
    public string? ChunkUrl { get; init; }

    /// <summary>With <see cref="ChunkUrl"/>: every chunk that has turns, in order; <see cref="Turns"/> holds those of the one sent with the page.</summary>
    public IReadOnlyList<Chunk> Chunks { get; init; } = [];

    /// <summary>The turns starting in [Number × <see cref="ChunkMs"/>, (Number + 1) × <see cref="ChunkMs"/>): Count of them, the first at FirstMs.</summary>
    public sealed class Chunk
    {
        public long Number { get; init; }
        public int Count { get; init; }
        public long FirstMs { get; init; }
    }

    /// <summary>Five minutes of a call: some 60 turns, a screenful or two of transcript.</summary>
    public const long ChunkMs = 300_000;

    /// <summary>
    /// Names exactly these turns (call, count, and a 64-bit hash of every field; for a chunked transcript, the call's
    /// transcript version and the chunk): the rendered transcript is cached under it, so a new transcript
    /// (re-transcription) or any other change of the turns is a new key.
    /// </summary>
    public string? TranscriptKey { get => _transcriptKey ??= ComputeTranscriptKey(); init => _transcriptKey = value; }
    private string? _transcriptKey;

    private string ComputeTranscriptKey()
    {
        // Two differently seeded 32-bit hashes make a 64-bit one; HashCode is a struct, so each is added to by ref.
        HashCode low = new(), high = new();
        high.Add(Turns.Count);
        foreach (var turn in Turns)
        {
            Add(ref low, turn);
            Add(ref high, turn);
        }
        return $"{CallId}:{Turns.Count}:{(uint)low.ToHashCode():x8}{(uint)high.ToHashCode():x8}";

        static void Add(ref HashCode hash, Turn turn)
        {
            hash.Add(turn.Channel);
            hash.Add(turn.Speaker, StringComparer.Ordinal);
            hash.Add(turn.StartMs);
            hash.Add(turn.EndMs);
            hash.Add(turn.Text, StringComparer.Ordinal);
            hash.Add(turn.OtherLanguage, StringComparer.Ordinal);
        }
    }

    public sealed class Turn
    {
        public int Channel { get; init; }
        public string Speaker { get; init; } = "";
        public long StartMs { get; init; }
        public long EndMs { get; init; }
        public string Text { get; init; } = "";
        /// <summary>The language the line was transcribed in (null for transcripts from before it was stored per line).</summary>
        public string? Language { get; init; }
        public string? CallLanguage { get; init; }

        /// <summary>The line's language where it is not the call's: the transcript tags only those lines.</summary>
        public string? OtherLanguage => Language is not null && CallLanguage is not null && Language != CallLanguage ? Language : null;
    }

    public static string Seconds(long ms) => (ms / 1000m).ToString("0.###", CultureInfo.InvariantCulture);

    public static string Seconds(long? ms) => ms is { } value ? Seconds(value) : "";
}
