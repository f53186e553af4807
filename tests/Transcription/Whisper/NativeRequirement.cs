using CallReview.Transcription.Whisper;

namespace CallReview.Tests.Transcription.Whisper;

internal static class NativeRequirement
{
    /// <summary>Fails with the binding's own explanation (which names build-whisper.sh) when the native library is absent.</summary>
    public static void Require()
    {
        var (available, description) = WhisperNative.Probe();
        Assert.True(available, "Native whisper library unavailable: " + description);
    }
}
