using System.Collections.Concurrent;
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

    private SileroSpeechDetector(WhisperVadFactory factory, Func<WhisperVadProcessor> build)
    {
        _factory = factory;
        _build = build;
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
                .Build(), $"VAD model '{fullPath}'"));
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

    /// <summary>Runs to completion once started: native detection cannot be interrupted (it takes well under a second per minute of audio).</summary>
    public IReadOnlyList<SpeechSpan> Detect(ReadOnlySpan<float> samples16kMono, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (samples16kMono.IsEmpty)
            return [];
        IReadOnlyList<VadSegmentData> segments;
        var vad = Take();
        try
        {
            segments = vad.DetectSpeech(samples16kMono);
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
        return segments.Select(s => new SpeechSpan(s.Start.TotalSeconds, s.End.TotalSeconds)).ToList();
    }

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
