using CallReview.Transcription.Whisper;

namespace CallReview.Tests.Transcription.Whisper;

public sealed class WhisperRuntimeTests
{
    [Fact]
    public void Probe_ReportsWhisperNetVersionAndCpuFeatures()
    {
        var (available, description) = WhisperRuntime.Probe();

        Assert.True(available, description);
        Assert.Contains("Whisper.net 1.9.1", description);
        Assert.Contains("AVX2 = 1", description);
    }
}
