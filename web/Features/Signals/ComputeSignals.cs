using System.Data.Common;
using CallReview.Db;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Jobs;
using CallReview.Transcription.Recordings;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Trends;
using Dapper;

namespace CallReview.Web.Features.Signals;

/// <summary>
/// The signals step of a call: after its transcript is written (the worker's follow-up, the sample seeder) and again on
/// demand (an admin's re-run after a threshold change). Reads the turns, the agent channel's loudness from the waveform
/// peaks and the team's settings, runs <see cref="SignalRules"/>, and replaces the call's open suggestions and measures in
/// one transaction. Decisions are kept: a suggestion accepted or dismissed is never suggested again by a re-run.
/// </summary>
public static class ComputeSignals
{
    public const string Suggested = "suggested", Accepted = "accepted", Dismissed = "dismissed";

    private sealed class CallRow
    {
        public int Id { get; init; }
        public int? TeamId { get; init; }
        public int? AgentUserId { get; init; }
        public long DurationMs { get; init; }
        public string? Language { get; init; }
        public string Layout { get; init; } = "";
        public DateTimeOffset CallAt { get; init; }
        public string? PeaksPath { get; init; }
        public string? OriginalPath { get; init; }
        public string? PlaybackPath { get; init; }
    }

    private sealed class Decided
    {
        public string RuleCode { get; init; } = "";
        public long StartMs { get; init; }
        public long EndMs { get; init; }
    }

    public sealed class Handler(IDbConnectionFactory db, RecordingStore store, SignalSettingsStore settings, FfmpegOptions ffmpeg, TimeProvider clock,
        IConfiguration configuration, ILogger<Handler> logger) : ITranscriptFollowUp
    {
        Task ITranscriptFollowUp.RunAsync(int callId, CancellationToken ct) => RunAsync(callId, ct);

        /// <summary>Computes one call's signals; false when the call does not exist.</summary>
        public async Task<bool> RunAsync(int callId, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var call = await connection.QuerySingleOrDefaultAsync<CallRow>(
                $"""
                SELECT c.Id, c.TeamId, c.AgentUserId, c.DurationMs, c.Language, c.Layout, {TrendFacts.CallAt} AS CallAt, r.PeaksPath, r.OriginalPath, r.PlaybackPath
                FROM Call c LEFT JOIN Recording r ON r.CallId = c.Id WHERE c.Id = @callId
                """, new { callId });
            if (call is null)
                return false;
            var turns = (await connection.QueryAsync<SignalRules.Turn>(
                "SELECT Speaker, StartMs, EndMs, Text FROM Segment WHERE CallId = @callId ORDER BY StartMs, Seq", new { callId })).ToList();
            var team = await settings.ForTeamAsync(connection, call.TeamId);
            var evaluation = SignalRules.Evaluate(turns, call.DurationMs, call.Language, team, await AgentLevelsAsync(call, ct),
                await AgentToneAsync(call, team.HoldToneHz, ct));

            using var turn = await db.WriteTurnAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await StoreAsync(connection, tx, call, evaluation);
            await tx.CommitAsync(ct);
            return true;
        }

        /// <summary>Re-runs every transcribed call of a team (all teams' and team-less calls with null); how many were computed.</summary>
        public async Task<int> RunForTeamAsync(int? teamId, CancellationToken ct)
        {
            List<int> ids;
            await using (var connection = await db.OpenAsync(ct))
                ids = (await connection.QueryAsync<int>(
                    "SELECT c.Id FROM Call c WHERE (@teamId IS NULL OR c.TeamId = @teamId) AND EXISTS (SELECT 1 FROM Segment s WHERE s.CallId = c.Id) ORDER BY c.Id",
                    new { teamId })).ToList();
            foreach (var id in ids)
                await RunAsync(id, ct);
            return ids.Count;
        }

        private async Task StoreAsync(DbConnection connection, DbTransaction tx, CallRow call, SignalRules.Evaluation evaluation)
        {
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync("DELETE FROM CallSignal WHERE CallId = @Id AND Status = @Suggested", new { call.Id, Suggested }, tx);
            var decided = (await connection.QueryAsync<Decided>(
                "SELECT RuleCode, StartMs, EndMs FROM CallSignal WHERE CallId = @Id", new { call.Id }, tx)).ToList();
            var fresh = evaluation.Signals.Where(f => !decided.Any(d => d.RuleCode == f.Rule && d.StartMs < Math.Max(f.EndMs, f.StartMs + 1) && f.StartMs < Math.Max(d.EndMs, d.StartMs + 1)));
            await connection.ExecuteAsync(
                """
                INSERT INTO CallSignal (CallId, RuleCode, StartMs, EndMs, Value, Threshold, Speaker, Detail, Status, CreatedAt)
                VALUES (@CallId, @Rule, @StartMs, @EndMs, @Value, @Threshold, @Speaker, @Detail, @Suggested, @now)
                """, fresh.Select(f => new
                {
                    CallId = call.Id, f.Rule, f.StartMs, f.EndMs, f.Value, f.Threshold, f.Speaker,
                    Detail = f.Detail.Length > 1000 ? f.Detail[..1000] : f.Detail, Suggested, now,
                }), tx);
            var m = evaluation.Measures;
            await connection.ExecuteAsync("DELETE FROM CallSignalMeasure WHERE CallId = @Id", new { call.Id }, tx);
            await connection.ExecuteAsync(
                """
                INSERT INTO CallSignalMeasure (CallId, AgentUserId, CallDay, DurationMs, AgentTalkMs, CustomerTalkMs, DeadAirMs, HoldMs, Interruptions, LongestMonologueMs, ComputedAt)
                VALUES (@Id, @AgentUserId, @CallDay, @DurationMs, @AgentTalkMs, @CustomerTalkMs, @DeadAirMs, @HoldMs, @Interruptions, @LongestMonologueMs, @now)
                """, new
                {
                    call.Id, call.AgentUserId, CallDay = Periods.LocalDay(call.CallAt, Periods.Zone(configuration)).DayNumber, m.DurationMs,
                    m.AgentTalkMs, m.CustomerTalkMs, m.DeadAirMs, m.HoldMs, m.Interruptions, m.LongestMonologueMs, now,
                }, tx);
        }

        /// <summary>The agent channel's loudness per second, from the waveform peaks; null for a mono call or without peaks.</summary>
        private async Task<IReadOnlyList<double>?> AgentLevelsAsync(CallRow call, CancellationToken ct)
        {
            var channel = AgentChannel(call);
            if (channel < 0 || call.PeaksPath is null || !File.Exists(store.FullPath(call.PeaksPath)))
                return null;
            try
            {
                await using var stream = File.OpenRead(store.FullPath(call.PeaksPath));
                var peaks = await WaveformPeaks.ReadAsync(stream, ct);
                return channel < peaks.Channels ? LevelsPerSecond(peaks, channel) : null;
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException)
            {
                logger.LogWarning(ex, "Call {CallId}: waveform peaks unreadable; hold is not told from dead air", call.Id);
                return null;
            }
        }

        /// <summary>
        /// The seconds in which the team's hold tone sounds on the agent's channel, streamed from the recording (the playback copy
        /// when retention or redaction left no original); null when no tone is configured, for a mono call or without audio.
        /// </summary>
        private async Task<IReadOnlyList<bool>?> AgentToneAsync(CallRow call, double toneHz, CancellationToken ct)
        {
            var channel = AgentChannel(call);
            var path = new[] { call.OriginalPath, call.PlaybackPath }.Where(p => !string.IsNullOrEmpty(p)).Select(p => store.FullPath(p!)).FirstOrDefault(File.Exists);
            if (toneHz <= 0 || channel < 0 || path is null)
                return null;
            try
            {
                var decoder = new AudioDecoder(ffmpeg);
                var info = await decoder.ProbeAsync(path, ct);
                if (channel >= info.Channels)
                    return null;
                var tone = new ToneDetector(toneHz);
                await decoder.StreamAsync(path, info, channel, info.DurationSeconds + 60, block => tone.Add(block), ct);
                return tone.Seconds;
            }
            // ffmpeg fails in many ways (a damaged file, a file removed meanwhile, a timeout): hold is then told by loudness alone.
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Call {CallId}: recording unreadable; the hold tone is not looked for", call.Id);
                return null;
            }
        }

        private static int AgentChannel(CallRow call) => call.Layout switch { "agent-left" => 0, "agent-right" => 1, _ => -1 };
    }

    /// <summary>A channel's loudest sample (0..1) in each second, from its min/max peaks.</summary>
    public static double[] LevelsPerSecond(WaveformPeaks peaks, int channel)
    {
        var data = peaks.Data[channel];
        var perSecond = peaks.PeaksPerSecond;
        var levels = new double[(peaks.PairCount + perSecond - 1) / perSecond];
        for (var pair = 0; pair < peaks.PairCount; pair++)
        {
            var level = Math.Max(Math.Abs((int)data[2 * pair]), Math.Abs((int)data[2 * pair + 1])) / 127.0;
            levels[pair / perSecond] = Math.Max(levels[pair / perSecond], level);
        }
        return levels;
    }
}
