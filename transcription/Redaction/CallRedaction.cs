using System.Data.Common;
using CallReview.Db;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Jobs;
using CallReview.Transcription.Recordings;
using Dapper;

namespace CallReview.Transcription.Redaction;

/// <summary>
/// The redaction step of a transcription job: card data found in the new transcript is recorded (<c>Redaction</c> rows),
/// its spans are silenced in the playback copy and zeroed in the waveform peaks, and — unless
/// <see cref="RedactionSettings.KeepOriginal"/> — the original recording is replaced by a muted lossless copy; only then
/// is the call's audio served (<c>Recording.RedactedAt</c>). The caller stores the masked turns it returns. Rows from earlier transcriptions stay and stay muted: once an original
/// is muted, a new transcript of it no longer holds the digits that were found.
/// </summary>
public sealed class CallRedaction(IDbConnectionFactory db, RecordingStore store, FfmpegOptions ffmpeg, TranscriptionSettings settings, TimeProvider clock)
{
    /// <summary>A finding as stored: a muted span and why.</summary>
    public sealed class Row
    {
        public int Channel { get; init; }
        public string Speaker { get; init; } = "";
        public long StartMs { get; init; }
        public long EndMs { get; init; }
        public string Kind { get; init; } = "";
        public string RuleName { get; init; } = "";
        public string MaskedText { get; init; } = "";

        /// <summary>Why the audio is silent here, as the timeline says it.</summary>
        public string Reason => $"muted: {CardDataKinds.Describe(Kind)} (rule: {RuleName})";
    }

    private sealed class RecordingRow
    {
        public string Sha256 { get; init; } = "";
        public string OriginalPath { get; init; } = "";
        public string? PlaybackPath { get; init; }
        public string? PeaksPath { get; init; }
    }

    public async Task<IReadOnlyList<TranscriptTurn>> ApplyAsync(int callId, IReadOnlyList<TranscriptTurn> turns, CancellationToken ct)
    {
        var found = CardDataDetector.Redact(turns);
        var rows = await RecordAsync(callId, found.Findings, ct);
        if (rows.Count > 0)
            await MuteAsync(callId, rows, ct);
        // From now on the call's audio may be played: every span found is silent in it.
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync("UPDATE Recording SET RedactedAt = @now WHERE CallId = @callId", new { callId, now = clock.GetUtcNow() });
        return found.Turns;
    }

    /// <summary>A call's muted spans, in the order of the call.</summary>
    public static Task<IEnumerable<Row>> ListAsync(DbConnection connection, int callId) =>
        connection.QueryAsync<Row>(
            "SELECT Channel, Speaker, StartMs, EndMs, Kind, RuleName, MaskedText FROM Redaction WHERE CallId = @callId ORDER BY StartMs, Id", new { callId });

    /// <summary>Adds the findings not recorded yet; answers every row of the call.</summary>
    private async Task<IReadOnlyList<Row>> RecordAsync(int callId, IReadOnlyList<CardDataFinding> findings, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var existing = (await ListAsync(connection, callId)).ToList();
        var added = findings.Where(f => !existing.Any(e => e.Channel == f.Channel && e.StartMs == f.StartMs && e.EndMs == f.EndMs && e.Kind == f.Kind)).ToList();
        if (added.Count == 0)
            return existing;
        await connection.ExecuteAsync(
            "INSERT INTO Redaction (CallId, Channel, Speaker, StartMs, EndMs, Kind, RuleName, MaskedText, CreatedAt) VALUES (@callId, @Channel, @Speaker, @StartMs, @EndMs, @Kind, @RuleName, @MaskedText, @now)",
            added.Select(f => new { callId, f.Channel, f.Speaker, f.StartMs, f.EndMs, f.Kind, RuleName = f.Rule, MaskedText = ColumnLimits.Fit(f.MaskedText, "Redaction", "MaskedText"), now = clock.GetUtcNow() }));
        return [.. existing, .. added.Select(f => new Row
        {
            Channel = f.Channel, Speaker = f.Speaker, StartMs = f.StartMs, EndMs = f.EndMs, Kind = f.Kind, RuleName = f.Rule, MaskedText = f.MaskedText,
        })];
    }

    private async Task MuteAsync(int callId, IReadOnlyList<Row> rows, CancellationToken ct)
    {
        // A mixed track's turns were heard on every channel.
        var spans = rows.Select(r => new MutedSpan(r.Speaker == CallTranscriber.Speakers.Mixed ? null : r.Channel, r.StartMs / 1000.0, r.EndMs / 1000.0)).ToList();
        await using var connection = await db.OpenAsync(ct);
        var recording = await connection.QuerySingleAsync<RecordingRow>(
            "SELECT Sha256, OriginalPath, PlaybackPath, PeaksPath FROM Recording WHERE CallId = @callId", new { callId });
        var source = store.FullPath(recording.OriginalPath);
        if (!settings.Redaction.KeepOriginal)
        {
            var redacted = RecordingStore.RedactedRelativePath(recording.Sha256);
            await new MutedCopy(ffmpeg).WriteAsync(source, store.FullPath(redacted), spans, ct);
            if (redacted != recording.OriginalPath)
            {
                await connection.ExecuteAsync(
                    "UPDATE Recording SET OriginalPath = @redacted, Format = 'flac', Codec = 'flac', SizeBytes = @size WHERE CallId = @callId",
                    new { callId, redacted, size = new FileInfo(store.FullPath(redacted)).Length });
                File.Delete(source);
            }
            source = store.FullPath(redacted);
        }
        if (recording.PlaybackPath is { } playback)
            await new PlaybackTranscoder(ffmpeg).CreateAsync(source, store.FullPath(playback), settings.Limits.MaxDurationSeconds, ct, spans);
        if (recording.PeaksPath is { } peaksPath && File.Exists(store.FullPath(peaksPath)))
        {
            var peaks = await WaveformPeaks.ReadFileAsync(store.FullPath(peaksPath), ct);
            await peaks.Muted(spans).WriteFileAsync(store.FullPath(peaksPath), ct);
        }
    }
}
