using System.Data.Common;
using CallReview.Transcription.Recordings;
using Dapper;

namespace CallReview.Web.Features.Calls;

/// <summary>A file to send: where it is and its content type.</summary>
public sealed record MediaFile(string Path, string ContentType);

/// <summary>
/// A call's recording files and the one rule for what a browser can play: nothing until card data redaction has run
/// on the call's transcript (<see cref="IsRedacted"/>: until then the audio may still hold a card number), then the
/// playback copy, or the original when it is WAV or MP3 (browsers play both). Pages offer audio by
/// <see cref="HasAudio"/>; the media routes send <see cref="Audio"/> and <see cref="Peaks"/>.
/// </summary>
public sealed class RecordingFiles
{
    public string OriginalPath { get; init; } = "";
    public string Format { get; init; } = "";
    public string? PlaybackPath { get; init; }
    public string? PeaksPath { get; init; }
    public DateTimeOffset? RedactedAt { get; init; }

    /// <summary>The Format of a recording whose original was deleted (retention, an erasure request).</summary>
    public const string RemovedFormat = "removed";

    /// <summary>Redaction has run on the transcript, so the audio and peaks are muted wherever it found card data.</summary>
    public bool IsRedacted => RedactedAt is not null;

    /// <summary>Audio held back until the call is transcribed and redacted (see <see cref="IsRedacted"/>).</summary>
    public bool AwaitsRedaction => !IsRedacted && !IsRemoved;

    public const string AwaitingRedactionText = "Audio available after transcription and redaction.";

    public bool HasAudio => IsRedacted && (PlaybackPath is not null || Format is "mp3" or "wav");

    /// <summary>No original left to transcribe again.</summary>
    public bool IsRemoved => Format == RemovedFormat;

    public bool HasPeaks => IsRedacted && PeaksPath is not null;

    public MediaFile? Audio(RecordingStore store)
    {
        if (!IsRedacted)
            return null;
        if (PlaybackPath is { } playback && File.Exists(store.FullPath(playback)))
            return new MediaFile(store.FullPath(playback), "audio/mpeg");
        return Format switch
        {
            "mp3" => new MediaFile(store.FullPath(OriginalPath), "audio/mpeg"),
            "wav" => new MediaFile(store.FullPath(OriginalPath), "audio/wav"),
            _ => null,
        };
    }

    public MediaFile? Peaks(RecordingStore store) =>
        IsRedacted && PeaksPath is { } peaks && File.Exists(store.FullPath(peaks)) ? new MediaFile(store.FullPath(peaks), "application/json") : null;

    private static readonly string[] ColumnNames = ["OriginalPath", "Format", "PlaybackPath", "PeaksPath", "RedactedAt"];

    /// <summary>The columns read, on the Recording table's alias (or none), the first of them never null: where a query reading a call splits off its recording.</summary>
    public static string Columns(string? alias = null) => string.Join(", ", ColumnNames.Select(c => alias is null ? c : $"{alias}.{c}"));

    public static string FirstColumn => ColumnNames[0];

    private static readonly string FindSql = $"SELECT {Columns()} FROM Recording WHERE CallId = @callId";

    public static Task<RecordingFiles?> FindAsync(DbConnection connection, int callId, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<RecordingFiles>(FindSql, new { callId }, transaction);
}
