using CallReview.Transcription.Audio;

namespace CallReview.Tests.Transcription.Audio;

/// <summary>The hold tone found in audio made with sox: quiet beeps among speech and line noise.</summary>
public sealed class ToneDetectorTests : IDisposable
{
    private readonly AudioTestFiles _files = new();

    /// <summary>Speech from 0 s, a 425 Hz beep at −40 dBFS at 5.0–5.5 s and 8.0–8.5 s, hiss at −60 dBFS throughout; 10 s.</summary>
    private async Task<ReadOnlyMemory<float>> BeepsAmongSpeechAsync()
    {
        string P(string name) => _files.PathOf(name);
        async Task Sox(params string[] arguments) => await ProcessRunner.RunAsync("sox", arguments, TimeSpan.FromSeconds(30));
        await ProcessRunner.RunAsync("espeak-ng", ["-v", "en-us", "-w", P("speech22k.wav"), "Let me check that for you, one moment please."], TimeSpan.FromSeconds(30));
        await Sox(P("speech22k.wav"), "-r", "16000", "-c", "1", "-b", "16", P("speech.wav"));
        await Sox("-n", "-r", "16000", "-c", "1", "-b", "16", P("beep.wav"), "synth", "0.5", "sine", "425", "vol", "0.01");
        await Sox(P("beep.wav"), P("beep1.wav"), "pad", "5", "0");
        await Sox(P("beep.wav"), P("beep2.wav"), "pad", "8", "1.5");
        await Sox("-n", "-r", "16000", "-c", "1", "-b", "16", P("hiss.wav"), "synth", "10", "whitenoise", "vol", "0.001");
        // -v 1 on each input: sox -m would otherwise scale each input down by the number of inputs.
        await Sox("-m", "-v", "1", P("speech.wav"), "-v", "1", P("beep1.wav"), "-v", "1", P("beep2.wav"), "-v", "1", P("hiss.wav"), P("call.wav"));
        return await new AudioDecoder(AudioTestFiles.Options).DecodeMonoMixAsync(P("call.wav"));
    }

    [Fact]
    public async Task Detect_QuietBeepsAmongSpeechAndHiss_OnlyTheBeepsSeconds()
    {
        var samples = await BeepsAmongSpeechAsync();

        var seconds = ToneDetector.Detect(samples.Span, 425);

        var heard = Enumerable.Range(0, seconds.Count).Where(i => seconds[i]).ToList();
        Assert.Equal([5, 8], heard);
    }

    [Theory]
    [InlineData(440)]
    [InlineData(1000)]
    public async Task Detect_AnotherFrequency_HearsNothing(double hz)
    {
        var samples = await BeepsAmongSpeechAsync();

        Assert.DoesNotContain(true, ToneDetector.Detect(samples.Span, hz));
    }

    /// <summary>A 1,400 Hz tone at 1.0–1.5 s fed in blocks that end anywhere in the detector's 50 ms blocks.</summary>
    [Fact]
    public void Detect_FedInOddBlocks_SameAsWhole()
    {
        var samples = Enumerable.Range(0, 3 * AudioDecoder.SampleRate)
            .Select(i => i is >= 16000 and < 24000 ? (float)(0.1 * Math.Sin(2 * Math.PI * 1400 * i / AudioDecoder.SampleRate)) : 0f).ToArray();
        var detector = new ToneDetector(1400);
        for (var at = 0; at < samples.Length; at += 777)
            detector.Add(samples.AsSpan(at, Math.Min(777, samples.Length - at)));

        Assert.Equal([false, true, false], detector.Seconds);
        Assert.Equal(detector.Seconds, ToneDetector.Detect(samples, 1400));
    }

    public void Dispose() => _files.Dispose();
}
