using CallReview.Db;
using CallReview.Transcription.Audio;
using Dapper;

namespace CallReview.Transcription.Recordings;

/// <summary>
/// The derived media of a call's recording — the playback MP3 and the waveform peaks — made once per
/// recording (content-addressed, so a re-import reuses them) and recorded in its Recording row. They are served only
/// after the redaction step has run (<see cref="Redaction.CallRedaction"/>).
/// </summary>
public sealed class RecordingMedia(IDbConnectionFactory db, RecordingStore store, FfmpegOptions ffmpeg, TranscriptionSettings settings)
{
    private sealed class Row
    {
        public string Sha256 { get; init; } = "";
        public string OriginalPath { get; init; } = "";
        public string? PlaybackPath { get; init; }
        public string? PeaksPath { get; init; }
    }

    public async Task PrepareAsync(int callId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            "SELECT Sha256, OriginalPath, PlaybackPath, PeaksPath FROM Recording WHERE CallId = @callId", new { callId })
            ?? throw new InvalidOperationException($"Call {callId} has no recording.");
        var original = store.FullPath(row.OriginalPath);
        if (!File.Exists(original))
            throw new FileNotFoundException("The original recording is missing from the data folder.", original);
        var playback = RecordingStore.PlaybackRelativePath(row.Sha256);
        var peaks = RecordingStore.PeaksRelativePath(row.Sha256);
        // Peaks first: they decode the whole call cheaply and stop at the length limit, whatever the header claimed,
        // before a playback copy of an over-long call is written.
        var maxSeconds = settings.Limits.MaxDurationSeconds;
        var made = false;
        if (!File.Exists(store.FullPath(peaks)))
        {
            await new WaveformGenerator(ffmpeg).WriteFileAsync(original, store.FullPath(peaks), maxSeconds, ct);
            made = true;
        }
        if (!File.Exists(store.FullPath(playback)))
        {
            await new PlaybackTranscoder(ffmpeg).CreateAsync(original, store.FullPath(playback), maxSeconds, ct);
            made = true;
        }
        // Made anew from an original that may be unredacted (kept, or not transcribed yet): not served until redaction runs.
        if (made || row.PlaybackPath != playback || row.PeaksPath != peaks)
            await connection.ExecuteAsync(
                $"UPDATE Recording SET PlaybackPath = @playback, PeaksPath = @peaks{(made ? ", RedactedAt = NULL" : "")} WHERE CallId = @callId",
                new { callId, playback, peaks });
    }
}
