using CallReview.Tests.Transcription.Whisper;
using CallReview.Transcription;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Whisper;

namespace CallReview.Tests.Transcription.Pipeline;

/// <summary>
/// A call transcribed while its models still load (<see cref="TranscriptionModels.Load"/>, as the benchmark and the
/// transcribe command do): ffmpeg decodes and Silero detects speech meanwhile, the transcript is the one loaded models
/// give, and a failure on either side reports its own error and leaves neither an ffmpeg process nor a loaded model behind.
/// </summary>
public sealed class ModelsLoadingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("callreview-loading-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly ScriptedStereoCall.Turn[] Script =
    [
        new("agent", 0.8, "Thank you for calling Northwind Energy, this is Sam, how can I help?"),
        new("customer", 6.0, "Hello, my bill this month is twice what it normally is."),
        new("agent", 11.5, "I can see the reading was estimated. I will send you a corrected bill today."),
    ];

    private static readonly TranscriptionOptions Options = new() { Threads = 2 };

    private static CallTranscriber Transcriber(TranscriptionModels models) => new(new AudioDecoder(new FfmpegOptions()), models, Options);

    [Fact]
    public async Task Transcribe_WhileTheModelsLoad_DecodesAndDetectsSpeechMeanwhileAndWritesWhatLoadedModelsWrite()
    {
        NativeRequirement.Require();
        var path = await ScriptedStereoCall.RenderAsync(_dir, Script, totalSeconds: 18);
        var whisper = TestData.Model("ggml-tiny.en-q8_0.bin");
        var silero = TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin");
        CallTranscriber.Transcript expected;
        using (var model = WhisperModel.Load(whisper))
        using (var vad = SileroSpeechDetector.Load(silero))
            expected = await Transcriber(TranscriptionModels.Loaded(model, vad)).TranscribeAsync(path, 2, ChannelLayout.AgentLeft, "en");

        // Each model loads only once ffmpeg runs on the call, and whisper only once speech is being detected: were decoding to
        // wait for the models, or detection for whisper, a load would never begin (the waits give up after a minute).
        var sawFfmpeg = new bool[2];
        var sawDetection = false;
        var timeline = new TranscriptionTimeline();
        var options = Options with { Timeline = timeline };
        CallTranscriber.Transcript transcript;
        await using (var models = TranscriptionModels.Load(
            () =>
            {
                sawFfmpeg[0] = WaitForFfmpegOn(path);
                sawDetection = SpinWait.SpinUntil(() => timeline.Spans.Any(s => s.What.StartsWith("detecting speech", StringComparison.Ordinal)),
                    TimeSpan.FromSeconds(60));
                return WhisperModel.Load(whisper);
            },
            () => { sawFfmpeg[1] = WaitForFfmpegOn(path); return SileroSpeechDetector.Load(silero); }, options))
            transcript = await new CallTranscriber(new AudioDecoder(new FfmpegOptions()), models, options).TranscribeAsync(path, 2, ChannelLayout.AgentLeft, "en");

        Assert.Equal([true, true], sawFfmpeg);
        Assert.True(sawDetection);
        Assert.Equal(expected.Turns.Select(t => (t.Speaker, t.StartMs, t.EndMs, t.Text)), transcript.Turns.Select(t => (t.Speaker, t.StartMs, t.EndMs, t.Text)));
        Assert.Contains(transcript.Turns, t => t.Speaker == "customer" && t.Text.Contains("twice", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Transcribe_ModelThatFailsToLoadWhileFfmpegDecodes_ReportsTheModelsErrorAndStopsFfmpeg()
    {
        NativeRequirement.Require();
        // Ten minutes of noise: ffmpeg is still decoding when the model fails.
        var path = Path.Combine(_dir, "long.wav");
        var random = new Random(7);
        var noise = Enumerable.Range(0, 600 * 8000).Select(_ => (float)(random.NextDouble() - 0.5) * 0.1f).ToArray();
        StereoWav.Write(path, noise, noise, 8000);
        var broken = Path.Combine(_dir, "broken.bin");
        await File.WriteAllTextAsync(broken, "not a whisper model at all");
        var sawFfmpeg = false;
        await using var models = TranscriptionModels.Load(
            () => { sawFfmpeg = WaitForFfmpegOn(path); return WhisperModel.Load(broken); },
            () => new EnergySpeechDetector(), Options);

        var e = await Assert.ThrowsAsync<WhisperException>(() => Transcriber(models).TranscribeAsync(path, 2, ChannelLayout.AgentLeft, "en"));

        Assert.True(sawFfmpeg);
        Assert.Contains($"failed to load whisper model '{broken}'", e.Message);
        Assert.Empty(FfmpegOn(path));
    }

    [Fact]
    public async Task Transcribe_BrokenFileWhileTheModelsLoad_ReportsFfmpegsErrorAndFreesTheModelsOnceLoaded()
    {
        var path = Path.Combine(_dir, "call.mp3");
        await File.WriteAllBytesAsync(path, Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var info = new AudioInfo("mp3", 60, 2, 16000, "mp3", null, 50_000);
        var release = new TaskCompletionSource();
        var engine = new DisposableEngine();
        var models = TranscriptionModels.Load(
            () => { release.Task.Wait(); return engine; },
            () => { release.Task.Wait(); return new EnergySpeechDetector(); }, Options);

        // The models are still loading when ffmpeg fails: its error is the call's.
        var e = await Assert.ThrowsAnyAsync<FFMpegCore.Exceptions.FFMpegException>(
            () => Transcriber(models).TranscribeAsync(path, info, ChannelLayout.AgentLeft, "en"));
        Assert.Contains("ffmpeg exited with non-zero exit-code", e.Message);
        Assert.Contains($"{path}: Invalid", e.Message);
        Assert.False(engine.Disposed);
        release.SetResult();
        await models.DisposeAsync();

        Assert.True(engine.Disposed);
        Assert.Empty(FfmpegOn(path));
    }

    [Fact]
    public async Task Transcribe_CancelledWhileWaitingForTheModels_EndsCancelledAndFreesTheModelsOnceLoaded()
    {
        // Twenty seconds: ffmpeg has decoded the whole call while the models still load, and the call waits for them.
        var path = Path.Combine(_dir, "short.wav");
        var random = new Random(7);
        var noise = Enumerable.Range(0, 20 * 8000).Select(_ => (float)(random.NextDouble() - 0.5) * 0.1f).ToArray();
        StereoWav.Write(path, noise, noise, 8000);
        var timeline = new TranscriptionTimeline();
        var options = Options with { Timeline = timeline };
        using var cancel = new CancellationTokenSource();
        var release = new TaskCompletionSource();
        var engine = new DisposableEngine();
        var models = TranscriptionModels.Load(
            () =>
            {
                // Cancelled only once decoding is over: what is left of the call is the wait for the models.
                SpinWait.SpinUntil(() => timeline.Spans.Any(s => s.What.StartsWith("ffmpeg decoding", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));
                cancel.Cancel();
                release.Task.Wait();
                return engine;
            },
            () => { release.Task.Wait(); return new EnergySpeechDetector(); }, options);

        // The wait bounds a hang (the load never ends until released), it times nothing.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new CallTranscriber(new AudioDecoder(new FfmpegOptions()), models, options)
                .TranscribeAsync(path, 2, ChannelLayout.AgentLeft, "en", ct: cancel.Token).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.False(engine.Disposed);
        Assert.Empty(FfmpegOn(path));
        release.SetResult();
        await models.DisposeAsync();

        Assert.True(engine.Disposed);
    }

    /// <summary>ffmpeg processes whose command line names <paramref name="path"/>.</summary>
    private static List<int> FfmpegOn(string path) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(name => name!.All(char.IsAsciiDigit)).Select(int.Parse!)
            .Where(pid =>
            {
                try
                {
                    var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
                    return Path.GetFileName(arguments[0]) == "ffmpeg" && arguments.Contains(path);
                }
                catch (IOException)
                {
                    return false;
                }
                catch (UnauthorizedAccessException)
                {
                    return false;
                }
            })
            .ToList();

    private static bool WaitForFfmpegOn(string path) => SpinWait.SpinUntil(() => FfmpegOn(path).Count > 0, TimeSpan.FromSeconds(60));

    private sealed class DisposableEngine : ITranscriptionEngine, IDisposable
    {
        public bool Disposed { get; private set; }

        public TranscriptionResult Transcribe(ReadOnlyMemory<float> samples16kMono, TranscriptionOptions options, IProgress<double>? progress = null,
            CancellationToken cancellationToken = default) => throw new InvalidOperationException("never reached: the file is broken");

        public DetectedLanguage? DetectLanguage(ReadOnlySpan<float> samples16kMono, TranscriptionOptions options, CancellationToken cancellationToken = default) => null;

        public void Dispose() => Disposed = true;
    }
}
