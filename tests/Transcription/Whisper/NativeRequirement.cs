using CallReview.Transcription.Whisper;

namespace CallReview.Tests.Transcription.Whisper;

internal static class NativeRequirement
{
    /// <summary>Fails with the runtime's own explanation when Whisper.net's native runtime does not load.</summary>
    public static void Require()
    {
        var (available, description) = WhisperRuntime.Probe();
        Assert.True(available, "Whisper.net's native runtime unavailable: " + description);
    }
}
