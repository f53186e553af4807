using CallReview.Transcription;
using CallReview.Transcription.Audio;

namespace CallReview.Tests.Transcription.Audio;

public sealed class EnergySpeechDetectorTests : IDisposable
{
    private const int Rate = AudioDecoder.SampleRate;
    private readonly AudioTestFiles _files = new();
    private readonly EnergySpeechDetector _detector = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Finds_tone_bursts_in_line_noise_at_their_offsets()
    {
        (double Start, double End)[] truth = [(1.0, 2.0), (4.5, 5.2), (8.03, 10.0)];
        var signal = Noise(12, amplitude: 0.002);
        foreach (var (start, end) in truth)
            AddTone(signal, start, end, amplitude: 0.3);

        var spans = _detector.Detect(signal);

        Assert.Equal(truth.Length, spans.Count);
        for (var i = 0; i < truth.Length; i++)
        {
            Assert.InRange(spans[i].Start, truth[i].Start - 0.15, truth[i].Start);
            Assert.InRange(spans[i].End, truth[i].End, truth[i].End + 0.35);
        }
    }

    [Fact]
    public async Task Finds_turns_of_synthetic_speech_within_a_third_of_a_second()
    {
        string[] phrases = ["Thank you for calling, how can I help you today?", "I was charged twice for my last bill.", "Let me look into that for you."];
        double[] offsets = [0.7, 5.3, 9.9];
        var signal = Noise(14, amplitude: 0.003);
        var truth = new double[phrases.Length];
        var decoder = new AudioDecoder(AudioTestFiles.Options);
        for (var i = 0; i < phrases.Length; i++)
        {
            var wav = _files.PathOf($"phrase{i}.wav");
            await ProcessRunner.RunAsync("espeak-ng", ["-w", wav, phrases[i]], TimeSpan.FromSeconds(30));
            var speech = (await decoder.DecodeMonoMixAsync(wav)).ToArray();
            var at = (int)(offsets[i] * Rate);
            for (var s = 0; s < speech.Length && at + s < signal.Length; s++)
                signal[at + s] += speech[s];
            // espeak-ng leads with a little silence; the truth is the first audible sample.
            truth[i] = offsets[i] + Array.FindIndex(speech, x => Math.Abs(x) > 0.02) / (double)Rate;
        }

        var spans = _detector.Detect(signal);

        foreach (var start in truth)
        {
            var first = spans.First(s => s.End > start);
            Assert.InRange(first.Start, start - 0.3, start + 0.3);
        }
        // Nothing is found in the silences before, between or after the phrases.
        Assert.All(spans, s => Assert.Contains(truth, t => s.Start >= t - 0.3 && s.Start < t + 4));
        Assert.True(spans[0].Start >= 0.3);
    }

    [Fact]
    public void Splits_a_long_utterance_at_its_quietest_moments()
    {
        var signal = Noise(12, amplitude: 0.002);
        AddTone(signal, 1, 10, amplitude: 0.3);
        Scale(signal, 3.5, 3.6, 0.1);
        Scale(signal, 6.9, 7.0, 0.1);
        var detector = new EnergySpeechDetector(new EnergySpeechDetectorOptions { MaxUtteranceSeconds = 4 });

        var spans = detector.Detect(signal);

        Assert.Equal(3, spans.Count);
        Assert.All(spans, s => Assert.True(s.Duration <= 4.0001, $"{s} is longer than 4 s"));
        Assert.InRange(spans[0].End, 3.5, 3.6);
        Assert.Equal(spans[0].End, spans[1].Start);
        Assert.InRange(spans[1].End, 6.9, 7.0);
        Assert.Equal(spans[1].End, spans[2].Start);
        Assert.InRange(spans[2].End, 10.0, 10.35);
    }

    [Fact]
    public void Finds_nothing_in_silence_hiss_or_an_empty_buffer()
    {
        Assert.Empty(_detector.Detect(new float[5 * Rate]));
        Assert.Empty(_detector.Detect(Noise(5, amplitude: 0.003)));
        Assert.Empty(_detector.Detect(ReadOnlySpan<float>.Empty));
    }

    [Fact]
    public void Drops_clicks_shorter_than_the_minimum_speech()
    {
        var signal = Noise(4, amplitude: 0.002);
        AddTone(signal, 2.0, 2.06, amplitude: 0.5);

        Assert.Empty(_detector.Detect(signal));
    }

    [Fact]
    public async Task Covers_the_speech_in_a_real_recording()
    {
        var samples = await new AudioDecoder(AudioTestFiles.Options).DecodeMonoMixAsync(TestData.Audio("jfk.wav"));

        var spans = _detector.Detect(samples.Span);

        Assert.NotEmpty(spans);
        Assert.InRange(spans[0].Start, 0.0, 0.6);
        Assert.InRange(spans[^1].End, 9.5, 11.0);
        Assert.InRange(spans.Sum(s => s.Duration), 6, 11);
    }

    private static float[] Noise(double seconds, double amplitude)
    {
        var random = new Random(7);
        var signal = new float[(int)(seconds * Rate)];
        for (var i = 0; i < signal.Length; i++)
            signal[i] = (float)(random.NextDouble() * 2 - 1) * (float)amplitude;
        return signal;
    }

    private static void AddTone(float[] signal, double start, double end, double amplitude)
    {
        for (var i = (int)(start * Rate); i < (int)(end * Rate); i++)
            signal[i] += (float)amplitude * MathF.Sin(2 * MathF.PI * 300 * i / Rate);
    }

    private static void Scale(float[] signal, double start, double end, double factor)
    {
        for (var i = (int)(start * Rate); i < (int)(end * Rate); i++)
            signal[i] *= (float)factor;
    }
}
