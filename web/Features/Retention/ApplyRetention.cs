using System.Data.Common;
using CallReview.Db;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Recordings;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Audit;
using Dapper;

namespace CallReview.Web.Features.Retention;

/// <summary>
/// One run of the retention schedule: every call of a team with a confirmed period that is older than the period
/// loses its audio and has its words anonymised (training material keeps its excerpt), then the audit trail is
/// pruned to <c>CallReview:Audit:RetentionMonths</c>. Each run is a RetentionRun row and an audit entry; each call
/// done is an audit entry of its own.
/// </summary>
public static class ApplyRetention
{
    /// <summary>The calls of <c>@teamId</c> that a period ending at <c>@cutoff</c> reaches and that are not done yet (alias c).</summary>
    public const string DueWhere = "c.TeamId = @teamId AND c.CallAt < @cutoff AND c.RetainedAt IS NULL AND c.ErasedAt IS NULL";

    public static int AuditRetentionMonths(IConfiguration configuration) => configuration.GetValue("CallReview:Audit:RetentionMonths", 12);

    public sealed record Result(int CallsAnonymised, int FilesDeleted, int AuditEntriesPruned);

    private sealed class Policy
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public int RetentionDays { get; init; }
    }

    private sealed class Training
    {
        public int CallId { get; init; }
        public int? SecondCallId { get; init; }
        public long? ExcerptStartMs { get; init; }
        public long? ExcerptEndMs { get; init; }
    }

    /// <summary>What training material keeps of a call: each training exercise's excerpt (or the whole call when it has none).</summary>
    public static async Task<IReadOnlyList<CallDataRemoval.Span>> KeptSpansAsync(DbConnection connection, DbTransaction? tx, int callId)
    {
        var exercises = await connection.QueryAsync<Training>(
            "SELECT CallId, SecondCallId, ExcerptStartMs, ExcerptEndMs FROM Exercise WHERE IsTrainingMaterial = 1 AND (CallId = @callId OR SecondCallId = @callId)",
            new { callId }, tx);
        return exercises.Select(e => e.CallId == callId
                ? new CallDataRemoval.Span(e.ExcerptStartMs ?? 0, e.ExcerptEndMs ?? long.MaxValue)
                : new CallDataRemoval.Span(0, long.MaxValue))
            .Distinct().ToList();
    }

    /// <summary>Everything of a call of <paramref name="durationMs"/> outside the kept spans, to silence.</summary>
    public static IReadOnlyList<MutedSpan> Outside(IReadOnlyList<CallDataRemoval.Span> keep, long durationMs)
    {
        var muted = new List<MutedSpan>();
        var from = 0L;
        foreach (var span in keep.OrderBy(k => k.StartMs))
        {
            if (span.StartMs > from)
                muted.Add(new MutedSpan(null, from / 1000.0, Math.Min(span.StartMs, durationMs) / 1000.0));
            from = Math.Max(from, span.EndMs);
        }
        if (from < durationMs)
            muted.Add(new MutedSpan(null, from / 1000.0, durationMs / 1000.0));
        return muted.Where(m => m.End > m.Start).ToList();
    }

    public sealed class Handler(IDbConnectionFactory db, RecordingStore store, FfmpegOptions ffmpeg, TimeProvider clock, AuditLog audit,
        IConfiguration configuration, ILogger<Handler> logger)
    {
        public async Task<Result> RunAsync(CancellationToken ct)
        {
            var started = clock.GetUtcNow();
            int runId;
            await using (var connection = await db.OpenAsync(ct))
                runId = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("RetentionRun", "StartedAt", "@started"), new { started });
            int calls = 0, files = 0, pruned = 0;
            string? error = null;
            try
            {
                await using (var connection = await db.OpenAsync(ct))
                {
                    var policies = await connection.QueryAsync<Policy>(
                        "SELECT Id, Name, RetentionDays FROM Team WHERE RetentionDays IS NOT NULL AND RetentionConfirmedAt IS NOT NULL ORDER BY Id");
                    foreach (var policy in policies)
                    {
                        var cutoff = started.AddDays(-policy.RetentionDays);
                        var due = await connection.QueryAsync<int>($"SELECT c.Id FROM Call c WHERE {DueWhere} ORDER BY c.Id", new { teamId = policy.Id, cutoff });
                        foreach (var callId in due)
                        {
                            var removed = await AnonymiseAsync(callId, ct);
                            calls++;
                            files += removed.FilesDeleted;
                            await audit.RecordAsync(AuditActor.System, AuditActions.RetentionApplied, "Call", callId,
                                $"{policy.Name}: older than {policy.RetentionDays} days; {removed.FilesDeleted} files deleted, " +
                                $"{removed.TurnsChanged} turns and {removed.QuotesChanged} quotes anonymised, {removed.NotesChanged} notes rewritten", ct);
                        }
                    }
                }
                if (AuditRetentionMonths(configuration) is > 0 and var months)
                    pruned = await audit.PruneAsync(started.AddMonths(-months), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error = ColumnLimits.Fit(ex.Message, "RetentionRun", "Error");
                logger.LogError(ex, "Retention run {RunId} failed after {Calls} calls", runId, calls);
            }
            await using (var connection = await db.OpenAsync(ct))
                await connection.ExecuteAsync(
                    """
                    UPDATE RetentionRun SET FinishedAt = @now, CallsAnonymised = @calls, FilesDeleted = @files, AuditEntriesPruned = @pruned, Error = @error
                    WHERE Id = @runId
                    """, new { runId, now = clock.GetUtcNow(), calls, files, pruned, error });
            await audit.RecordAsync(AuditActor.System, AuditActions.RetentionRun, "RetentionRun", runId,
                $"{calls} calls anonymised, {files} files deleted, {pruned} audit entries pruned{(error is null ? "" : "; failed: " + error)}", ct);
            logger.LogInformation("Retention run {RunId}: {Calls} calls anonymised, {Files} files deleted, {Pruned} audit entries pruned",
                runId, calls, files, pruned);
            return new Result(calls, files, pruned);
        }

        private async Task<CallDataRemoval.Removed> AnonymiseAsync(int callId, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            if (await KeptSpansAsync(connection, null, callId) is { Count: > 0 } kept)
                await MuteOutsideAsync(connection, callId, kept, ct);
            using var turn = await db.WriteTurnAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var keep = await KeptSpansAsync(connection, tx, callId);
            var removed = await CallDataRemoval.AnonymiseAsync(connection, db.Dialect, tx, store, callId, keep, clock.GetUtcNow());
            await tx.CommitAsync(ct);
            return removed;
        }

        /// <summary>
        /// Training material keeps only its excerpt's audio: the rest of the playback copy is silenced and its peaks
        /// zeroed (before the rows change, and again harmlessly should the run be repeated), so the exercise plays on
        /// the call's own clock.
        /// </summary>
        private async Task MuteOutsideAsync(System.Data.Common.DbConnection connection, int callId, IReadOnlyList<CallDataRemoval.Span> kept, CancellationToken ct)
        {
            var durationMs = await connection.ExecuteScalarAsync<long>("SELECT DurationMs FROM Call WHERE Id = @callId", new { callId });
            var muted = Outside(kept, durationMs);
            if (muted.Count == 0 || await RecordingFiles.FindAsync(connection, callId) is not { } files)
                return;
            if (files.PlaybackPath is { } playback && File.Exists(store.FullPath(playback)))
                await new PlaybackTranscoder(ffmpeg).CreateAsync(store.FullPath(playback), store.FullPath(playback), cancellationToken: ct, muted: muted);
            if (files.PeaksPath is { } peaksPath && File.Exists(store.FullPath(peaksPath)))
            {
                var peaks = await WaveformPeaks.ReadFileAsync(store.FullPath(peaksPath), ct);
                await peaks.Muted(muted).WriteFileAsync(store.FullPath(peaksPath), ct);
            }
        }
    }
}

/// <summary>
/// Runs retention every <c>CallReview:Retention:IntervalMinutes</c> (default 60) wherever a worker runs: in the web
/// app with its in-app worker, and in each <c>worker</c> process. Runs in several processes at once are safe: a call
/// is taken only while not yet done, and audit pruning chains like any other append.
/// </summary>
public sealed class RetentionSchedule(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<RetentionSchedule> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMinutes(Math.Max(1, configuration.GetValue("CallReview:Retention:IntervalMinutes", 60)));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<ApplyRetention.Handler>().RunAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next run tries again; a failed run is in the RetentionRun log when it got that far.
                logger.LogError(ex, "Retention run could not run");
            }
            await Task.Delay(interval, clock, stoppingToken);
        }
    }
}
