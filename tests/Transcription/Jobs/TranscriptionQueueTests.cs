using CallReview.Db;
using CallReview.Tests.Db;
using CallReview.Transcription.Jobs;
using Dapper;

namespace CallReview.Tests.Transcription.Jobs;

public sealed class TranscriptionQueueTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly TempSqlite _db = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _db.Dispose();

    private async Task<(TranscriptionQueue Queue, int CallId)> ArrangeAsync()
    {
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

    [Fact]
    public async Task Claim_ByTwoWorkersOnOneFile_GivesTheJobToExactlyOne()
    {
        var (queue, callId) = await ArrangeAsync();
        await queue.EnqueueAsync(callId, "auto", null, null);
        // A second queue object is a second worker process's view of the same SQLite file.
        var other = new TranscriptionQueue(new SqlServerCheckedConnections(DatabaseOptions.Sqlite(_db.Directory)), _clock);

        var claims = await Task.WhenAll(queue.ClaimAsync("worker-a", Lease), other.ClaimAsync("worker-b", Lease));

        Assert.Single(claims, c => c is not null);
        Assert.Equal(1, claims.Single(c => c is not null)!.Attempts);
    }

    [Fact]
    public async Task Claim_AfterLeaseExpires_HandsTheJobToAnotherWorker_AndTheOldWorkerCannotWrite()
    {
        var (queue, callId) = await ArrangeAsync();
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

    [Fact]
    public async Task Complete_Twice_ForReTranscription_ReplacesSegmentsInsteadOfDuplicating()
    {
        var (queue, callId) = await ArrangeAsync();
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

    [Fact]
    public async Task Fail_RetriesUntilTheCapThenFailsForGood()
    {
        var (queue, callId) = await ArrangeAsync();
        var jobId = await queue.EnqueueAsync(callId, "auto", null, null);
        for (var attempt = 1; attempt <= TranscriptionQueue.DefaultMaxAttempts; attempt++)
        {
            var job = await queue.ClaimAsync("w", Lease);
            Assert.NotNull(job);
            Assert.Equal(attempt, job.Attempts);
            await queue.FailAsync(jobId, "w", $"boom {attempt}", retry: true);
        }

        Assert.Null(await queue.ClaimAsync("w", Lease));
        var final = (await queue.GetAsync(jobId))!;
        Assert.Equal(JobStatus.Failed, final.Status);
        Assert.Equal("boom 3", final.Error);
    }

    [Fact]
    public async Task Claim_WhenTheLastAttemptsWorkerDied_MarksTheJobFailed()
    {
        var (queue, callId) = await ArrangeAsync();
        var jobId = await queue.EnqueueAsync(callId, "auto", null, null);
        for (var i = 0; i < TranscriptionQueue.DefaultMaxAttempts; i++)
        {
            Assert.NotNull(await queue.ClaimAsync($"dies-{i}", Lease));
            _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        }

        Assert.Null(await queue.ClaimAsync("w", Lease));
        Assert.Equal(JobStatus.Failed, (await queue.GetAsync(jobId))!.Status);
    }

    [Fact]
    public async Task Cancel_RunningJob_MakesRenewalFailSoTheWorkerStops()
    {
        var (queue, callId) = await ArrangeAsync();
        var jobId = await queue.EnqueueAsync(callId, "auto", null, null);
        await queue.ClaimAsync("w", Lease);

        Assert.True(await queue.CancelAsync(jobId));

        Assert.False(await queue.RenewAsync(jobId, "w", Lease, 0.3));
        Assert.False(await queue.CompleteAsync(jobId, "w", Turns("late"), "en"));
        Assert.Equal(0, await SegmentCountAsync(callId));
        Assert.Equal(JobStatus.Cancelled, (await queue.LatestForCallAsync(callId))!.Status);
    }
}
