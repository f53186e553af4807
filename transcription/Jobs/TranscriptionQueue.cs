using CallReview.Db;
using Dapper;

namespace CallReview.Transcription.Jobs;

/// <summary>
/// The durable job queue in the database. A worker claims a job with a lease (a conditional UPDATE, so two
/// workers never hold the same job), renews it while working, and writes the transcript only while it
/// still holds the lease: a worker that was killed or lost its lease can never leave duplicate segments.
/// </summary>
public sealed class TranscriptionQueue(IDbConnectionFactory db, TimeProvider clock)
{
    public const int DefaultMaxAttempts = 3;

    public async Task<int> EnqueueAsync(int callId, string language, string? model, int? requestedByUserId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(
            db.Dialect.InsertReturningId("TranscriptionJob",
                "CallId, Status, Model, Language, Attempts, MaxAttempts, Progress, RequestedByUserId, CreatedAt",
                "@callId, @status, @model, @language, 0, @maxAttempts, 0, @requestedByUserId, @now"),
            new { callId, status = JobStatus.Queued, model, language, maxAttempts = DefaultMaxAttempts, requestedByUserId, now = clock.GetUtcNow() });
    }

    /// <summary>Claims the oldest queued job, or a running one whose lease expired (its worker died). Null when none.</summary>
    public async Task<TranscriptionJob?> ClaimAsync(string workerId, TimeSpan lease, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await FailExhaustedAsync(connection);
        for (var tries = 0; tries < 5; tries++)
        {
            var now = clock.GetUtcNow();
            var candidate = await connection.ExecuteScalarAsync<int?>(
                $"""
                SELECT Id FROM TranscriptionJob
                WHERE (Status = @queued OR (Status = @running AND LeaseExpiresAt < @now)) AND Attempts < MaxAttempts
                ORDER BY Id {db.Dialect.Page}
                """, new { queued = JobStatus.Queued, running = JobStatus.Running, now, Offset = 0, Limit = 1 });
            if (candidate is not { } id)
                return null;
            var claimed = await connection.ExecuteAsync(
                """
                UPDATE TranscriptionJob
                SET Status = @running, LeaseOwner = @workerId, LeaseExpiresAt = @expires, Attempts = Attempts + 1,
                    StartedAt = COALESCE(StartedAt, @now), Error = NULL, ErrorKey = NULL, ErrorArgs = NULL
                WHERE Id = @id AND (Status = @queued OR (Status = @running AND LeaseExpiresAt < @now)) AND Attempts < MaxAttempts
                """, new { id, workerId, expires = now + lease, now, queued = JobStatus.Queued, running = JobStatus.Running });
            if (claimed == 1)
                return await GetAsync(connection, id);
            // Another worker won this one; look again.
        }
        return null;
    }

    /// <summary>Extends the lease and records progress. False when the lease is lost or the job was cancelled: stop working on it.</summary>
    public async Task<bool> RenewAsync(int jobId, string workerId, TimeSpan lease, double progress, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(
            "UPDATE TranscriptionJob SET LeaseExpiresAt = @expires, Progress = @progress WHERE Id = @jobId AND LeaseOwner = @workerId AND Status = @running",
            new { jobId, workerId, expires = clock.GetUtcNow() + lease, progress = Math.Clamp(progress, 0, 1), running = JobStatus.Running }) == 1;
    }

    /// <summary>
    /// Replaces the call's transcript with <paramref name="turns"/> and marks the job done, in one transaction,
    /// only if this worker still holds the lease. False when it does not (nothing is written).
    /// </summary>
    public async Task<bool> CompleteAsync(int jobId, string workerId, IReadOnlyList<TranscriptTurn> turns, string? language, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var done = await connection.ExecuteAsync(
            "UPDATE TranscriptionJob SET Status = @doneStatus, Progress = 1, FinishedAt = @now, LeaseExpiresAt = NULL WHERE Id = @jobId AND LeaseOwner = @workerId AND Status = @running",
            new { jobId, workerId, now, doneStatus = JobStatus.Done, running = JobStatus.Running }, transaction);
        if (done != 1)
        {
            await transaction.RollbackAsync(ct);
            return false;
        }
        var callId = await connection.ExecuteScalarAsync<int>("SELECT CallId FROM TranscriptionJob WHERE Id = @jobId", new { jobId }, transaction);
        await ReplaceTranscriptAsync(connection, transaction, callId, jobId, turns, language);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Stores a transcript made elsewhere (the sample calls ship theirs) as a finished job, so the call reads
    /// as transcribed without a model on this machine.
    /// </summary>
    public async Task RecordTranscriptAsync(int callId, IReadOnlyList<TranscriptTurn> turns, string? language, string source, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var jobId = await connection.ExecuteScalarAsync<int>(
            db.Dialect.InsertReturningId("TranscriptionJob",
                "CallId, Status, Model, Language, Attempts, MaxAttempts, Progress, CreatedAt, StartedAt, FinishedAt",
                "@callId, @status, @source, @language, 0, 0, 1, @now, @now, @now"),
            new { callId, status = JobStatus.Done, source, language = language ?? "auto", now }, transaction);
        await ReplaceTranscriptAsync(connection, transaction, callId, jobId, turns, language);
        await transaction.CommitAsync(ct);
    }

    private static async Task ReplaceTranscriptAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        int callId, int jobId, IReadOnlyList<TranscriptTurn> turns, string? language)
    {
        await connection.ExecuteAsync("DELETE FROM Segment WHERE CallId = @callId", new { callId }, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO Segment (CallId, JobId, Seq, Channel, Speaker, StartMs, EndMs, Text, Language) VALUES (@callId, @jobId, @Seq, @Channel, @Speaker, @StartMs, @EndMs, @Text, @Language)",
            turns.Select((t, i) => new { callId, jobId, Seq = i, t.Channel, t.Speaker, t.StartMs, t.EndMs, t.Text, t.Language }), transaction);
        await connection.ExecuteAsync("UPDATE Call SET Language = @language WHERE Id = @callId", new { callId, language }, transaction);
    }

    /// <summary>Records a failure: the job goes back to the queue while attempts remain, else it fails for good.</summary>
    public async Task FailAsync(int jobId, string workerId, JobFailure failure, bool retry, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(
            """
            UPDATE TranscriptionJob
            SET Status = CASE WHEN @retry = 1 AND Attempts < MaxAttempts THEN @queued ELSE @failed END,
                Error = @error, ErrorKey = @key, ErrorArgs = @args, LeaseOwner = NULL, LeaseExpiresAt = NULL,
                FinishedAt = CASE WHEN @retry = 1 AND Attempts < MaxAttempts THEN NULL ELSE @now END
            WHERE Id = @jobId AND LeaseOwner = @workerId AND Status = @running
            """, new { jobId, workerId, error = failure.Detail, key = failure.Key, args = failure.ArgsJson, retry = retry ? 1 : 0, queued = JobStatus.Queued, failed = JobStatus.Failed, now = clock.GetUtcNow(), running = JobStatus.Running });
    }

    /// <summary>Cancels a queued or running job; a running worker notices at its next lease renewal.</summary>
    public async Task<bool> CancelAsync(int jobId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(
            "UPDATE TranscriptionJob SET Status = @cancelled, FinishedAt = @now, LeaseOwner = NULL, LeaseExpiresAt = NULL WHERE Id = @jobId AND Status IN (@queued, @running)",
            new { jobId, cancelled = JobStatus.Cancelled, now = clock.GetUtcNow(), queued = JobStatus.Queued, running = JobStatus.Running }) == 1;
    }

    public async Task<TranscriptionJob?> GetAsync(int jobId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await GetAsync(connection, jobId);
    }

    /// <summary>Jobs still to be finished: queued, or running (perhaps under a dead worker's lease that will expire).</summary>
    public async Task<int> PendingCountAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM TranscriptionJob WHERE Status IN (@queued, @running) AND Attempts < MaxAttempts",
            new { queued = JobStatus.Queued, running = JobStatus.Running });
    }

    /// <summary>The newest job of a call: its transcript status.</summary>
    public async Task<TranscriptionJob?> LatestForCallAsync(int callId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<TranscriptionJob>(
            $"SELECT {TranscriptionJob.Columns} FROM TranscriptionJob WHERE CallId = @callId ORDER BY Id DESC {db.Dialect.Page}",
            new { callId, Offset = 0, Limit = 1 });
    }

    private static Task<TranscriptionJob?> GetAsync(System.Data.Common.DbConnection connection, int jobId) =>
        connection.QuerySingleOrDefaultAsync<TranscriptionJob>($"SELECT {TranscriptionJob.Columns} FROM TranscriptionJob WHERE Id = @jobId", new { jobId });

    /// <summary>A job whose worker died on its last allowed attempt would otherwise stay "running" forever.</summary>
    private Task FailExhaustedAsync(System.Data.Common.DbConnection connection) => connection.ExecuteAsync(
        """
        UPDATE TranscriptionJob SET Status = @failed, FinishedAt = @now, LeaseOwner = NULL, LeaseExpiresAt = NULL,
            Error = COALESCE(Error, 'The worker stopped before finishing, on every attempt.'),
            ErrorKey = CASE WHEN Error IS NULL THEN @died ELSE ErrorKey END, ErrorArgs = CASE WHEN Error IS NULL THEN '[]' ELSE ErrorArgs END
        WHERE Status = @running AND LeaseExpiresAt < @now AND Attempts >= MaxAttempts
        """, new { failed = JobStatus.Failed, running = JobStatus.Running, now = clock.GetUtcNow(), died = JobFailure.WorkerDied });
}
