using CallReview.Transcription.Whisper;

namespace CallReview.Tests.Transcription.Whisper;

public sealed class SileroSpeechDetectorTests
{
    public SileroSpeechDetectorTests() => NativeRequirement.Require();

    private static SileroSpeechDetector Load(VadOptions? options = null) =>
        SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"), options);

    [Fact]
    public void Jfk_SpeechStartsNearTheBeginningAndStaysInsideTheAudio()
    {
        using var detector = Load();
        var audio = Wav.ReadMono16k(TestData.Audio("jfk.wav"));
        var seconds = audio.Length / 16_000.0;

        var spans = detector.Detect(audio);

        Assert.NotEmpty(spans);
        Assert.InRange(spans[0].Start, 0.0, 0.5);
        Assert.All(spans, s => Assert.True(s.Start < s.End && s.End <= seconds + 0.01, s.ToString()));
        Assert.Equal(spans.OrderBy(s => s.Start), spans);
        // Most of the clip is speech.
        Assert.True(spans.Sum(s => s.Duration) > seconds * 0.6, string.Join(", ", spans));
    }

    [Fact]
    public void Jfk_PrecededBySilence_StartIsShiftedByTheSilence()
    {
        using var detector = Load();
        var speech = Wav.ReadMono16k(TestData.Audio("jfk.wav"));
        var audio = new float[3 * 16_000 + speech.Length];
        speech.CopyTo(audio, 3 * 16_000);

        var spans = detector.Detect(audio);

        Assert.NotEmpty(spans);
        Assert.InRange(spans[0].Start, 2.7, 3.5);
    }

    [Fact]
    public void Silence_HasNoSpeech()
    {
        using var detector = Load();

        Assert.Empty(detector.Detect(new float[5 * 16_000]));
        Assert.Empty(detector.Detect([]));
    }

    [Fact]
    public void MaxSpeechSeconds_SplitsLongSpeech()
    {
        using var detector = Load(new VadOptions { MaxSpeechSeconds = 3 });
        var audio = Wav.ReadMono16k(TestData.Audio("jfk.wav"));

        var spans = detector.Detect(audio);

        Assert.True(spans.Count >= 3, string.Join(", ", spans));
        Assert.All(spans, s => Assert.True(s.Duration <= 3.5, s.ToString()));
    }

    [Fact]
    public void CancelledToken_Throws()
    {
        using var detector = Load();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() => detector.Detect(new float[16_000], cts.Token));
    }
}
