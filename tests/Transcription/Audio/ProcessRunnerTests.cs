using System.Diagnostics;
using CallReview.Transcription.Audio;

namespace CallReview.Tests.Transcription.Audio;

public sealed class ProcessRunnerTests
{
    [Fact]
    public async Task Returns_stdout()
    {
        var output = await ProcessRunner.RunAsync("ffprobe", ["-version"], TimeSpan.FromSeconds(30));

        Assert.StartsWith("ffprobe version", output);
    }

    [Fact]
    public async Task A_failing_tool_reports_its_exit_code_and_stderr()
    {
        var e = await Assert.ThrowsAsync<ToolFailedException>(() =>
            ProcessRunner.RunAsync("ffprobe", ["-v", "error", "/no/such/recording.wav"], TimeSpan.FromSeconds(30)));

        Assert.Equal(1, e.ExitCode);
        Assert.False(e.TimedOut);
        Assert.Contains("No such file or directory", e.StdErrTail);
        Assert.StartsWith("ffprobe exited with code 1: ", e.Message);
    }

    [Fact]
    public async Task A_missing_tool_is_reported_as_not_run()
    {
        var e = await Assert.ThrowsAsync<ToolFailedException>(() =>
            ProcessRunner.RunAsync("/no/such/ffmpeg", [], TimeSpan.FromSeconds(30)));

        Assert.Null(e.ExitCode);
        Assert.StartsWith("ffmpeg could not be run", e.Message);
    }

    [Fact]
    public async Task A_tool_past_its_timeout_is_killed()
    {
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ToolFailedException>(() =>
            ProcessRunner.RunAsync("sleep", ["30"], TimeSpan.FromMilliseconds(300)));

        Assert.True(e.TimedOut);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Cancelling_kills_the_tool()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ProcessRunner.RunAsync("sleep", ["30"], TimeSpan.FromMinutes(1), cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }
}
