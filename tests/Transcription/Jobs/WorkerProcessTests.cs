using System.Diagnostics;
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
    private readonly System.Text.StringBuilder _output = new();

    private string Output()
    {
        lock (_output)
            return _output.ToString();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "CallReview.Web"))
        {
            WorkingDirectory = _data,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["CallReview__DataDirectory"] = _data;
        info.Environment["CallReview__Whisper__ModelPath"] = TestData.Model("ggml-tiny.en-q8_0.bin");
        info.Environment["CallReview__Whisper__Threads"] = "1";
        info.Environment["CallReview__Worker__LeaseSeconds"] = "3";
        info.Environment["CallReview__Worker__PollSeconds"] = "0.5";
        info.Environment["CALLREVIEW_TESTDATA"] = TestData.Root;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

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
            await import.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(0, import.ExitCode);
        }
        var db = new DbConnectionFactory(DatabaseOptions.Sqlite(_data));

        using (var doomed = Start("worker"))
        {
            // Kill it once it is inside the transcription (past the media preparation, which is the first 5 %).
            var deadline = DateTime.UtcNow.AddMinutes(6);
            TranscriptionJob job;
            while ((job = await JobAsync(db)) is not { Status: JobStatus.Running, Progress: > 0.06 })
            {
                Assert.True(job.Status is JobStatus.Queued or JobStatus.Running, $"job {job.Status}: {job.Error}\n{Output()}");
                Assert.True(DateTime.UtcNow < deadline, "the first worker never got into the transcription\n" + Output());
                Assert.False(doomed.HasExited, "the first worker exited by itself\n" + Output());
                await Task.Delay(100);
            }
            doomed.Kill(entireProcessTree: true);
            await doomed.WaitForExitAsync();
        }
        var orphaned = await JobAsync(db);
        Assert.Equal(JobStatus.Running, orphaned.Status);
        Assert.Equal(1, orphaned.Attempts);

        using (var next = Start("worker", "--once"))
        {
            await next.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
            Assert.True(next.ExitCode == 0, Output());
        }

        var finished = await JobAsync(db);
        Assert.True(finished.Status == JobStatus.Done, $"job {finished.Status}: {finished.Error}\n{Output()}");
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
