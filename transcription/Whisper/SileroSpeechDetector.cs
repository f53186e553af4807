using System.Collections.Concurrent;
using CallReview.Transcription.Audio;
using Whisper.net;

namespace CallReview.Transcription.Whisper;

/// <summary>
/// Tuning of the Silero detector. The defaults favour accurate turn starts: a short pad keeps the first
/// syllable without moving the start much, and half a second of silence ends an utterance.
/// </summary>
public sealed record VadOptions
{
    /// <summary>Speech probability above which a 32 ms frame counts as speech.</summary>
    public float Threshold { get; init; } = 0.5f;
    public int MinSpeechMs { get; init; } = 250;
    public int MinSilenceMs { get; init; } = 500;
    /// <summary>Added before and after each span.</summary>
    public int SpeechPadMs { get; init; } = 100;
    /// <summary>Longer speech is split, so each span fits one whisper window.</summary>
    public double MaxSpeechSeconds { get; init; } = 30;
    /// <summary>
    /// Long runs of near-digital silence are not given to Silero (see <see cref="SileroSpeechDetector.Sounding"/>): a stereo
    /// call's idle leg is mostly such silence, and Silero costs the same per frame whatever it hears.
    /// </summary>
    public bool SkipSilence { get; init; } = true;
}

/// <summary>
/// Silero VAD through Whisper.net (whisper.cpp's ggml port). The model is loaded once; each processor detects one buffer at
/// a time (Whisper.net serialises calls on one), so concurrent callers — a stereo call's two channels — each take a processor
/// of their own from a small pool, built the first time it is needed (a processor is a copy of the 1 MB model).
/// </summary>
public sealed class SileroSpeechDetector : ISpeechDetector, IDisposable
{
    private readonly WhisperVadFactory _factory;
    private readonly Func<WhisperVadProcessor> _build;
    private readonly ConcurrentBag<WhisperVadProcessor> _idle = [];
    private readonly ConcurrentBag<WhisperVadProcessor> _all = [];

    private readonly bool _skipSilence;

    private SileroSpeechDetector(WhisperVadFactory factory, Func<WhisperVadProcessor> build, bool skipSilence)
    {
        _factory = factory;
        _build = build;
        _skipSilence = skipSilence;
    }

    /// <summary>Loads a ggml Silero VAD model. Throws <see cref="FileNotFoundException"/> or <see cref="WhisperException"/>.</summary>
    public static SileroSpeechDetector Load(string path, VadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new FileNotFoundException($"VAD model not found: {fullPath}", fullPath);
        options ??= new VadOptions();
        WhisperRuntime.Require();
        var factory = WhisperVadFactory.FromPath(fullPath, new WhisperFactoryOptions { UseGpu = false });
        try
        {
            var detector = new SileroSpeechDetector(factory, () => WhisperRuntime.Load(() => factory.CreateBuilder()
                .WithUseGpu(false)
                // Silero runs a tiny network per 32 ms frame: a second thread only adds a barrier per frame, and on a busy
                // machine those barriers made detection half of a call's transcription time.
                .WithThreads(1)
                .WithThreshold(options.Threshold)
                .WithMinSpeechDuration(TimeSpan.FromMilliseconds(options.MinSpeechMs))
                .WithMinSilenceDuration(TimeSpan.FromMilliseconds(options.MinSilenceMs))
                .WithSpeechPadding(TimeSpan.FromMilliseconds(options.SpeechPadMs))
                .WithMaxSpeechDuration(TimeSpan.FromSeconds(options.MaxSpeechSeconds))
                .Build(), $"VAD model '{fullPath}'"), options.SkipSilence);
            // The first processor now, so a model whisper.cpp cannot read is refused at load.
            detector.Return(detector.Take());
            return detector;
        }
        catch
        {
            factory.Dispose();
            throw;
        }
    }

    /// <summary>Each stretch runs to completion once started: native detection cannot be interrupted (it takes well under a second per minute of audio).</summary>
    public IReadOnlyList<SpeechSpan> Detect(ReadOnlySpan<float> samples16kMono, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (samples16kMono.IsEmpty)
            return [];
        var spans = new List<SpeechSpan>();
        var vad = Take();
        try
        {
            foreach (var (start, length) in _skipSilence ? Sounding(samples16kMono) : [(0, samples16kMono.Length)])
            {
                cancellationToken.ThrowIfCancellationRequested();
                var offset = start / (double)SampleRate;
                spans.AddRange(vad.DetectSpeech(samples16kMono.Slice(start, length))
                    .Select(s => new SpeechSpan(offset + s.Start.TotalSeconds, offset + s.End.TotalSeconds)));
            }
        }
        catch (WhisperProcessingException e)
        {
            throw new WhisperException(WhisperError.Vad, "speech detection failed", e);
        }
        finally
        {
            Return(vad);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return spans;
    }

    private const int SampleRate = AudioDecoder.SampleRate;
    /// <summary>Silero's frame: 32 ms.</summary>
    private const int FrameSamples = 512;
    /// <summary>−70 dBFS as a mean square: below any voice or line noise, above the dither of a digitally silent leg.</summary>
    private const double QuietMeanSquare = 1e-7;
    /// <summary>
    /// Silence kept on either side of a skipped run (33 frames, 1.06 s): Silero carries its state from frame to frame and
    /// ends a span after half a second of silence, so it still hears the end of the speech before and the run-up to the
    /// speech after.
    /// </summary>
    private const int MarginFrames = 33;
    /// <summary>A run of quiet is skipped only when at least this much of it (1 s) lies between the margins.</summary>
    private const int MinSkippedFrames = 32;

    /// <summary>
    /// The stretches Silero is given, as (start, length) in samples: all but the middle of each run of quiet frames long
    /// enough to skip (all of it at the buffer's start or end). Each stretch is detected on its own: whisper.cpp resets
    /// Silero's state at the start of a buffer, which moves a span next to a skipped run by a frame or three (30–160 ms)
    /// from where one pass over the whole channel put it (over ten shifts of the nine English sample calls the words came
    /// out the same in distribution: 220.4 errors a shift against 220.3, every turn start within 0.11 s).
    /// </summary>
    internal static List<(int Start, int Length)> Sounding(ReadOnlySpan<float> samples)
    {
        var stretches = new List<(int Start, int Length)>();
        var frames = (samples.Length + FrameSamples - 1) / FrameSamples;
        var from = 0;
        var quietSince = -1;
        for (var f = 0; f <= frames; f++)
        {
            var quiet = f < frames && IsQuiet(samples.Slice(f * FrameSamples, Math.Min(FrameSamples, samples.Length - f * FrameSamples)));
            if (quiet)
            {
                if (quietSince < 0)
                    quietSince = f;
                continue;
            }
            if (quietSince >= 0)
            {
                // No margin at the buffer's edges: there is no speech beyond them to hear.
                var skipFrom = quietSince == 0 ? 0 : quietSince + MarginFrames;
                var skipTo = f == frames ? frames : f - MarginFrames;
                if (skipTo - skipFrom >= MinSkippedFrames)
                {
                    if (skipFrom * FrameSamples > from)
                        stretches.Add((from, skipFrom * FrameSamples - from));
                    from = Math.Min(samples.Length, skipTo * FrameSamples);
                }
                quietSince = -1;
            }
        }
        if (from < samples.Length)
            stretches.Add((from, samples.Length - from));
        return stretches;
    }

    private static bool IsQuiet(ReadOnlySpan<float> frame) => AudioLevel.MeanSquare(frame) < QuietMeanSquare;

    private WhisperVadProcessor Take()
    {
        if (_idle.TryTake(out var vad))
            return vad;
        vad = _build();
        _all.Add(vad);
        return vad;
    }

    private void Return(WhisperVadProcessor vad) => _idle.Add(vad);

    public void Dispose()
    {
        foreach (var vad in _all)
            vad.Dispose();
        _factory.Dispose();
    }
}
