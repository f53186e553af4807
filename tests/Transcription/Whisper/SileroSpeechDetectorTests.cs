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
    public void Jfk_TwiceWithTwentySecondsOfSilenceBetween_IsFoundAsInOnePassOverTheWhole()
    {
        using var skipping = Load();
        using var whole = Load(new VadOptions { SkipSilence = false });
        var speech = Wav.ReadMono16k(TestData.Audio("jfk.wav"));
        var audio = new float[2 * speech.Length + 20 * 16_000];
        speech.CopyTo(audio, 0);
        speech.CopyTo(audio, speech.Length + 20 * 16_000);

        var found = skipping.Detect(audio);
        var expected = whole.Detect(audio);

        // Silero starts afresh after the skipped silence: a span may move by a few 32 ms frames, no more.
        Assert.Equal(expected.Count, found.Count);
        Assert.All(expected.Zip(found), p =>
        {
            Assert.InRange(p.Second.Start, p.First.Start - 0.2, p.First.Start + 0.2);
            Assert.InRange(p.Second.End, p.First.End - 0.2, p.First.End + 0.2);
        });
        var second = speech.Length / 16_000.0 + 20;
        Assert.Contains(found, s => s.Start >= second - 0.5 && s.Start < second + 0.5);
    }

    [Fact]
    public void Sounding_LeavesOutTheMiddleOfLongQuietRunsAndQuietAtTheEdges()
    {
        const int rate = 16_000, frame = 512, margin = 33 * frame;
        // 3 s quiet, 1 s sound, 1.5 s quiet (too short to skip), 1 s sound, 10 s quiet, 1 s sound, 3 s quiet.
        var sounds = new[] { (From: 3.0, To: 4.0), (From: 5.5, To: 6.5), (From: 16.5, To: 17.5) };
        var audio = new float[(int)(20.5 * rate)];
        var rng = new Random(7);
        foreach (var (from, to) in sounds)
            for (var i = (int)(from * rate); i < (int)(to * rate); i++)
                audio[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
        // Dither far below a voice counts as quiet.
        for (var i = 0; i < audio.Length; i++)
            audio[i] += (float)(rng.NextDouble() - 0.5) * 1e-5f;

        var stretches = SileroSpeechDetector.Sounding(audio);

        // The first two sounds and the short quiet run between them are one stretch; each stretch keeps a margin of quiet.
        Assert.Equal(2, stretches.Count);
        AssertNear(stretches[0].Start, 3.0 * rate - margin);
        AssertNear(stretches[0].Start + stretches[0].Length, 6.5 * rate + margin);
        AssertNear(stretches[1].Start, 16.5 * rate - margin);
        AssertNear(stretches[1].Start + stretches[1].Length, 17.5 * rate + margin);
        Assert.Empty(SileroSpeechDetector.Sounding(new float[30 * rate]));
        Assert.Equal([(0, 2 * rate)], SileroSpeechDetector.Sounding(audio.AsSpan((int)(16 * rate), 2 * rate)));

        static void AssertNear(int sample, double expected) => Assert.InRange(sample, expected - frame, expected + frame);
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
