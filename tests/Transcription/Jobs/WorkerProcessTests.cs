using CallReview.Db;
using CallReview.Transcription.Jobs;
using Dapper;

namespace CallReview.Tests.Transcription.Jobs;

/// <summary>
/// The `worker` command as a real separate process: killed in the middle of a job, the job is finished
/// exactly once by the next worker after the lease runs out.
/// </summary>
public sealed class WorkerProcessTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("callreview-worker-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private AppProcess Start(params string[] args) => AppProcess.Start(_data, new Dictionary<string, string>
    {
        ["CallReview__Whisper__ModelPath"] = TestData.Model("ggml-tiny.en-q8_0.bin"),
        ["CallReview__Whisper__Threads"] = "1",
        ["CallReview__Worker__LeaseSeconds"] = "3",
        ["CallReview__Worker__PollSeconds"] = "0.5",
    }, args);

    private async Task<TranscriptionJob> JobAsync(DbConnectionFactory db)
    {
        await using var connection = await db.OpenAsync();
        return await connection.QuerySingleAsync<TranscriptionJob>($"SELECT {TranscriptionJob.Columns} FROM TranscriptionJob");
    }

    [Fact]
    public async Task Worker_KilledMidJob_JobIsFinishedOnceByTheNextWorker()
    {
        var inbox = Directory.CreateDirectory(Path.Combine(_data, "inbox")).FullName;
        File.Copy(Path.Combine(RepoRoot.Path, "samples", "calls", "delivery-delay.mp3"), Path.Combine(inbox, "delivery-delay.mp3"));
        using (var import = Start("import", inbox, "--language", "en"))
        {
            await import.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(import.Process.ExitCode == 0, import.Output());
        }
        var db = new DbConnectionFactory(DatabaseOptions.Sqlite(_data));

        using (var doomed = Start("worker"))
        {
            // Kill it once it is inside the transcription (past the media preparation, which is the first 5 %).
            var deadline = DateTime.UtcNow.AddMinutes(6);
            TranscriptionJob job;
            while ((job = await JobAsync(db)) is not { Status: JobStatus.Running, Progress: > 0.06 })
            {
                Assert.True(job.Status is JobStatus.Queued or JobStatus.Running, $"job {job.Status}: {job.Error}\n{doomed.Output()}");
                Assert.True(DateTime.UtcNow < deadline, "the first worker never got into the transcription\n" + doomed.Output());
                Assert.False(doomed.Process.HasExited, "the first worker exited by itself\n" + doomed.Output());
                await Task.Delay(100);
            }
            doomed.Process.Kill(entireProcessTree: true);
            await doomed.Process.WaitForExitAsync();
        }
        var orphaned = await JobAsync(db);
        Assert.Equal(JobStatus.Running, orphaned.Status);
        Assert.Equal(1, orphaned.Attempts);

        using (var next = Start("worker", "--once"))
        {
            await next.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
            Assert.True(next.Process.ExitCode == 0, next.Output());
        }

        var finished = await JobAsync(db);
        Assert.True(finished.Status == JobStatus.Done, $"job {finished.Status}: {finished.Error}");
        Assert.Equal(2, finished.Attempts);
        await using var connection = await db.OpenAsync();
        var segments = (await connection.QueryAsync<(int JobId, long StartMs, int Channel, string Text)>(
            "SELECT JobId, StartMs, Channel, Text FROM Segment")).ToList();
        Assert.NotEmpty(segments);
        Assert.All(segments, s => Assert.Equal(finished.Id, s.JobId));
        Assert.Equal(segments.Count, segments.Select(s => (s.StartMs, s.Channel, s.Text)).Distinct().Count());
        Assert.Contains(segments, s => s.Channel == 1);
    }
}
