using System.Diagnostics;
using CallReview.Db;
using CallReview.Tests.Web.Features.Calls;
using CallReview.Transcription.Jobs;
using Dapper;
using Xunit.Abstractions;

namespace CallReview.Tests.Transcription.Jobs;

/// <summary>
/// A four-hour stereo call through the `worker` command as its own process — peaks, playback copy, both channels
/// decoded and run through speech detection and whisper — must stay within a few hundred MB: audio is streamed,
/// never held whole (a 4-hour channel as 16 kHz floats alone is 920 MB). The peak resident size is printed.
/// </summary>
public sealed class LongCallMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const long MaxPeakBytes = 400L << 20;

    private readonly string _data = Directory.CreateTempSubdirectory("callreview-long-").FullName;
    private readonly HostileCorpus _files = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
        _files.Dispose();
    }

    [Fact]
    public async Task Worker_OnAFourHourStereoCall_PeaksUnderFourHundredMegabytes()
    {
        var inbox = Directory.CreateDirectory(Path.Combine(_data, "inbox")).FullName;
        var clock = Stopwatch.StartNew();
        // Just under the 4-hour limit (an MP3 of exactly 4 h measures a few frames over). Telephone-like: 8 kHz, a tone on the agent's side and line noise on the customer's, 16 kbit/s MP3 (29 MB).
        var call = await _files.FfmpegAsync("four-hours.mp3",
            "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=8000:duration=14340",
            "-f", "lavfi", "-i", "anoisesrc=r=8000:a=0.02:d=14340",
            "-filter_complex", "[0:a][1:a]amerge=inputs=2[o]", "-map", "[o]", "-c:a", "libmp3lame", "-b:a", "16k");
        File.Move(call, Path.Combine(inbox, "four-hours.mp3"));
        var environment = new Dictionary<string, string>
        {
            ["CallReview__Whisper__ModelPath"] = TestData.Model("ggml-tiny.en-q8_0.bin"),
            ["CallReview__Whisper__Threads"] = "2",
            ["CallReview__SpeechDetection__Engine"] = "energy",
        };
        using (var import = AppProcess.Start(_data, environment, "import", inbox, "--language", "en"))
        {
            await import.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(import.Process.ExitCode == 0, import.Output());
        }
        var generated = clock.Elapsed;

        clock.Restart();
        long peakKb = 0;
        using (var worker = AppProcess.Start(_data, environment, "worker", "--once"))
        {
            var exited = worker.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(20));
            while (!exited.IsCompleted)
            {
                // The kernel's high-water mark of resident memory: a late reading still sees an earlier peak.
                peakKb = Math.Max(peakKb, HighWaterMarkKb(worker.Process.Id));
                await Task.WhenAny(exited, Task.Delay(200));
            }
            await exited;
            Assert.True(worker.Process.ExitCode == 0, worker.Output());
        }

        using var db = new DbConnectionFactory(DatabaseOptions.Sqlite(_data));
        await using var connection = await db.OpenAsync();
        var job = await connection.QuerySingleAsync<(string Status, string? Error)>("SELECT Status, Error FROM TranscriptionJob");
        Assert.True(job.Status == JobStatus.Done, $"job {job.Status}: {job.Error}");
        output.WriteLine($"4-hour stereo call: generated and imported in {generated.TotalSeconds:0} s; worker (peaks, playback copy, " +
                         $"2 channels decoded, speech detection) {clock.Elapsed.TotalSeconds:0} s, peak resident memory {peakKb / 1024} MB");
        Assert.True(peakKb > 0, "no memory reading");
        Assert.True(peakKb * 1024 < MaxPeakBytes, $"the worker peaked at {peakKb / 1024} MB");
    }

    private static long HighWaterMarkKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        catch (IOException)
        {
            return 0; // exited between the check and the read
        }
    }
}
