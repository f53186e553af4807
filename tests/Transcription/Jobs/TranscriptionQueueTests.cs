using CallReview.Db;
using CallReview.Tests.Db;
using CallReview.Transcription.Jobs;
using Dapper;

namespace CallReview.Tests.Transcription.Jobs;

/// <summary>The durable queue on each database engine: leases, retries and replacing a transcript are SQL.</summary>
public sealed class TranscriptionQueueTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private TestDatabase _db = null!;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_db is not null)
            await _db.DisposeAsync();
    }

    private async Task<(TranscriptionQueue Queue, int CallId)> ArrangeAsync(DatabaseProvider provider)
    {
        _db = await TestDatabase.CreateAsync(provider);
        var connections = await _db.MigratedAsync();
        await using var connection = await connections.OpenAsync();
        var callId = await connection.ExecuteScalarAsync<int>(connections.Dialect.InsertReturningId("Call",
            "Title, Layout, DurationMs, CreatedAt", "'test call', 'agent-left', 60000, @now"), new { now = _clock.Now });
        return (new TranscriptionQueue(connections, _clock), callId);
    }

    private static TranscriptTurn[] Turns(string text) =>
        [new(0, "agent", 1000, 2500, "Hello, " + text, "en"), new(1, "customer", 3000, 5000, "Hi " + text, "en")];

    private async Task<int> SegmentCountAsync(int callId)
    {
        await using var connection = await _db.Connections.OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Segment WHERE CallId = @callId", new { callId });
    }

    [DatabaseTheory, DatabaseData]
    public async Task Claim_ByTwoWorkersOnOneFile_GivesTheJobToExactlyOne(DatabaseProvider database)
    {
        var (queue, callId) = await ArrangeAsync(database);
        await queue.EnqueueAsync(callId, "auto", null, null);
        // A second queue with connections of its own is a second worker process's view of the same database.
        var other = new TranscriptionQueue(_db.NewConnections(), _clock);

        var claims = await Task.WhenAll(queue.ClaimAsync("worker-a", Lease), other.ClaimAsync("worker-b", Lease));

        Assert.Single(claims, c => c is not null);
        Assert.Equal(1, claims.Single(c => c is not null)!.Attempts);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Claim_SeveralQueuedCalls_TwoWorkersTakeThemInTheOrderTheyCame(DatabaseProvider database)
    {
        var (queue, firstCall) = await ArrangeAsync(database);
        var calls = new[] { firstCall, await AddCallAsync("second"), await AddCallAsync("third") };
        var jobs = new List<int>();
        foreach (var call in calls)
            jobs.Add(await queue.EnqueueAsync(call, "auto", null, null));

        var a = await queue.ClaimAsync("worker-a", Lease);
        var b = await queue.ClaimAsync("worker-b", Lease);
        // Both workers are busy: the third call waits for whichever finishes first, not behind a newer upload.
        var newer = await queue.EnqueueAsync(firstCall, "auto", null, null);
        Assert.True(await queue.CompleteAsync(b!.Id, "worker-b", Turns("b"), "en"));
        var next = await queue.ClaimAsync("worker-b", Lease);

        Assert.Equal([jobs[0], jobs[1], jobs[2]], [a!.Id, b.Id, next!.Id]);
        Assert.Equal(calls[2], next.CallId);
        Assert.Equal(newer, (await queue.ClaimAsync("worker-b", Lease))!.Id);
    }

    private async Task<int> AddCallAsync(string title)
    {
        await using var connection = await _db.Connections.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(_db.Connections.Dialect.InsertReturningId("Call",
            "Title, Layout, DurationMs, CreatedAt", "@title, 'agent-left', 60000, @now"), new { title, now = _clock.Now });
    }

    [DatabaseTheory, DatabaseData]
    public async Task Claim_AfterLeaseExpires_HandsTheJobToAnotherWorker_AndTheOldWorkerCannotWrite(DatabaseProvider database)
    {
        var (queue, callId) = await ArrangeAsync(database);
        var jobId = await queue.EnqueueAsync(callId, "auto", null, null);
        var first = await queue.ClaimAsync("worker-killed", Lease);
        Assert.NotNull(first);
        Assert.Null(await queue.ClaimAsync("worker-b", Lease));

        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var second = await queue.ClaimAsync("worker-b", Lease);

        Assert.NotNull(second);
        Assert.Equal(jobId, second.Id);
        Assert.Equal(2, second.Attempts);
        Assert.False(await queue.CompleteAsync(jobId, "worker-killed", Turns("stale"), "en"));
        Assert.False(await queue.RenewAsync(jobId, "worker-killed", Lease, 0.5));
        Assert.True(await queue.CompleteAsync(jobId, "worker-b", Turns("fresh"), "en"));
        Assert.Equal(2, await SegmentCountAsync(callId));
        Assert.Equal(JobStatus.Done, (await queue.GetAsync(jobId))!.Status);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Complete_Twice_ForReTranscription_ReplacesSegmentsInsteadOfDuplicating(DatabaseProvider database)
    {
        var (queue, callId) = await ArrangeAsync(database);
        await queue.EnqueueAsync(callId, "auto", null, null);
        var job1 = (await queue.ClaimAsync("w", Lease))!;
        Assert.True(await queue.CompleteAsync(job1.Id, "w", Turns("one"), "en"));
        await queue.EnqueueAsync(callId, "it", "other-model.bin", null);
        var job2 = (await queue.ClaimAsync("w", Lease))!;
        Assert.True(await queue.CompleteAsync(job2.Id, "w", Turns("two"), "it"));

        await using var connection = await _db.Connections.OpenAsync();
        var texts = await connection.QueryAsync<string>("SELECT Text FROM Segment WHERE CallId = @callId ORDER BY Seq", new { callId });
        Assert.Equal(["Hello, two", "Hi two"], texts);
        Assert.Equal("it", await connection.ExecuteScalarAsync<string>("SELECT Language FROM Call WHERE Id = @callId", new { callId }));
    }

    [DatabaseTheory, DatabaseData]
    public async Task Fail_RetriesUntilTheCapThenFailsForGood(DatabaseProvider database)
    {
        var (queue, callId) = await ArrangeAsync(database);
        var jobId = await queue.EnqueueAsync(callId, "auto", null, null);
        for (var attempt = 1; attempt <= TranscriptionQueue.DefaultMaxAttempts; attempt++)
        {
            var job = await queue.ClaimAsync("w", Lease);
            Assert.NotNull(job);
            Assert.Equal(attempt, job.Attempts);
            Assert.Null(job.Failure);
            await queue.FailAsync(jobId, "w", new(JobFailure.UnknownLanguage, [$"x{attempt}"], $"boom {attempt}"), retry: true);
        }

        Assert.Null(await queue.ClaimAsync("w", Lease));
        var final = (await queue.GetAsync(jobId))!;
        Assert.Equal(JobStatus.Failed, final.Status);
        Assert.Equal("boom 3", final.Error);
        Assert.Equal((JobFailure.UnknownLanguage, "boom 3"), (final.Failure!.Key, final.Failure.Detail));
        Assert.Equal(["x3"], final.Failure.Args);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Claim_WhenTheLastAttemptsWorkerDied_MarksTheJobFailed(DatabaseProvider database)
    {
        var (queue, callId) = await ArrangeAsync(database);
        var jobId = await queue.EnqueueAsync(callId, "auto", null, null);
        for (var i = 0; i < TranscriptionQueue.DefaultMaxAttempts; i++)
        {
            Assert.NotNull(await queue.ClaimAsync($"dies-{i}", Lease));
            _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        }

        Assert.Null(await queue.ClaimAsync("w", Lease));
        var died = (await queue.GetAsync(jobId))!;
        Assert.Equal(JobStatus.Failed, died.Status);
        Assert.Equal(JobFailure.WorkerDied, died.Failure?.Key);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Cancel_RunningJob_MakesRenewalFailSoTheWorkerStops(DatabaseProvider database)
    {
        var (queue, callId) = await ArrangeAsync(database);
        var jobId = await queue.EnqueueAsync(callId, "auto", null, null);
        await queue.ClaimAsync("w", Lease);

        Assert.True(await queue.CancelAsync(jobId));

        Assert.False(await queue.RenewAsync(jobId, "w", Lease, 0.3));
        Assert.False(await queue.CompleteAsync(jobId, "w", Turns("late"), "en"));
        Assert.Equal(0, await SegmentCountAsync(callId));
        Assert.Equal(JobStatus.Cancelled, (await queue.LatestForCallAsync(callId))!.Status);
    }
}
