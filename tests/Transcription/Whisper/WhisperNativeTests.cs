using CallReview.Transcription.Whisper;

namespace CallReview.Tests.Transcription.Whisper;

public sealed class WhisperNativeTests
{
    [Fact]
    public void Probe_ReportsWhisperVersionAndCpuFeatures()
    {
        var (available, description) = WhisperNative.Probe();

        Assert.True(available, description);
        Assert.Contains("whisper.cpp 1.9.1", description);
        Assert.Contains("AVX2 = 1", description);
    }

    [Fact]
    public void SetLog_RoutesWhisperLogToTheSinkUntilCleared()
    {
        NativeRequirement.Require();
        var lines = new List<string>();
        WhisperNative.SetLog(line => { lock (lines) lines.Add(line); });
        try
        {
            using var model = WhisperModel.Load(TestData.Model("for-tests-ggml-tiny.en.bin"));
        }
        finally
        {
            WhisperNative.SetLog(null);
        }
        lock (lines)
            Assert.Contains(lines, line => line.Contains("whisper_init_from_file"));

        var countAfterClear = lines.Count;
        using (WhisperModel.Load(TestData.Model("for-tests-ggml-tiny.en.bin"))) { }
        Assert.Equal(countAfterClear, lines.Count);
    }
}
