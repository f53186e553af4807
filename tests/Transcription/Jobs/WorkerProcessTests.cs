using System.Globalization;
using CallReview.Db;
using CallReview.Tests.Transcription.Audio;
using CallReview.Transcription.Jobs;
using Dapper;

namespace CallReview.Tests.Transcription.Jobs;

/// <summary>
/// The `worker` command as a real separate process: killed in the middle of a job, the job is finished
/// exactly once by the next worker after the lease runs out; two workers on one database share the queue.
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
        using var db = new DbConnectionFactory(DatabaseOptions.Sqlite(_data));

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

    [Fact]
    public async Task TwoWorkers_OneDatabase_EachJobDoneOnceInOrderOfArrivalWithBothBusy()
    {
        // Six different recordings (the same audio twice would be one call): jfk.wav with a different tail each.
        using var files = new AudioTestFiles();
        var inbox = Directory.CreateDirectory(Path.Combine(_data, "inbox")).FullName;
        for (var i = 0; i < 6; i++)
        {
            var padded = await files.FfmpegAsync($"call-{i}.wav", "-i", TestData.Audio("jfk.wav"),
                "-af", $"apad=pad_dur={(0.5 + i * 0.25).ToString(CultureInfo.InvariantCulture)}");
            File.Move(padded, Path.Combine(inbox, $"call-{i}.wav"));
        }
        using (var import = Start("import", inbox, "--language", "en"))
        {
            await import.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(import.Process.ExitCode == 0, import.Output());
        }

        using var first = Start("worker", "--once");
        using var second = Start("worker", "--once");
        foreach (var worker in new[] { first, second })
        {
            await worker.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
            Assert.True(worker.Process.ExitCode == 0, worker.Output());
        }

        using var db = new DbConnectionFactory(DatabaseOptions.Sqlite(_data));
        await using var connection = await db.OpenAsync();
        var jobs = (await connection.QueryAsync<TranscriptionJob>($"SELECT {TranscriptionJob.Columns} FROM TranscriptionJob ORDER BY Id")).ToList();
        Assert.Equal(6, jobs.Count);
        Assert.All(jobs, j => Assert.True(j is { Status: JobStatus.Done, Attempts: 1 }, $"job {j.Id}: {j.Status}, {j.Attempts} attempt(s), {j.Error}"));
        // In order of arrival: each job was claimed no earlier than the one queued before it.
        Assert.Equal(jobs.OrderBy(j => j.Id).Select(j => j.Id), jobs.OrderBy(j => j.StartedAt).ThenBy(j => j.Id).Select(j => j.Id));
        // Both busy: each worker did jobs, and at some moment both were working at once.
        var byWorker = jobs.GroupBy(j => j.LeaseOwner).ToList();
        Assert.Equal(2, byWorker.Count);
        Assert.Contains(jobs, a => jobs.Any(b => b.LeaseOwner != a.LeaseOwner && b.StartedAt < a.FinishedAt && a.StartedAt < b.FinishedAt));
        // Done once: one transcript per call, no turn written twice.
        var segments = (await connection.QueryAsync<(int JobId, long StartMs, int Channel, string Text)>("SELECT JobId, StartMs, Channel, Text FROM Segment")).ToList();
        Assert.Equal(jobs.Select(j => j.Id).Order(), segments.Select(s => s.JobId).Distinct().Order());
        Assert.Equal(segments.Count, segments.Distinct().Count());
        Console.WriteLine(string.Join("; ", byWorker.Select(g => $"{g.Key}: jobs {string.Join(",", g.Select(j => j.Id))}")));
    }
}
