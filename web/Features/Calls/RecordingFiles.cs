using System.Data.Common;
using CallReview.Transcription.Recordings;
using Dapper;

namespace CallReview.Web.Features.Calls;

/// <summary>A file to send: where it is and its content type.</summary>
public sealed record MediaFile(string Path, string ContentType);

/// <summary>
/// A call's recording files and the one rule for what a browser can play: the playback copy once it exists,
/// until then the original when it is WAV or MP3 (browsers play both). Pages offer audio by
/// <see cref="HasAudio"/>; the media routes send <see cref="Audio"/> and <see cref="Peaks"/>.
/// </summary>
public sealed class RecordingFiles
{
    public string OriginalPath { get; init; } = "";
    public string Format { get; init; } = "";
    public string? PlaybackPath { get; init; }
    public string? PeaksPath { get; init; }

    /// <summary>The Format of a recording whose original was deleted (retention, an erasure request).</summary>
    public const string RemovedFormat = "removed";

    public bool HasAudio => PlaybackPath is not null || Format is "mp3" or "wav";

    /// <summary>No original left to transcribe again.</summary>
    public bool IsRemoved => Format == RemovedFormat;

    public bool HasPeaks => PeaksPath is not null;

    public MediaFile? Audio(RecordingStore store)
    {
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
        PeaksPath is { } peaks && File.Exists(store.FullPath(peaks)) ? new MediaFile(store.FullPath(peaks), "application/json") : null;

    public static Task<RecordingFiles?> FindAsync(DbConnection connection, int callId, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<RecordingFiles>(
            "SELECT OriginalPath, Format, PlaybackPath, PeaksPath FROM Recording WHERE CallId = @callId", new { callId }, transaction);
}
