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
/// Silero VAD through Whisper.net (whisper.cpp's ggml port). One processor, loaded once; it detects one
/// buffer at a time and serialises concurrent calls itself.
/// </summary>
public sealed class SileroSpeechDetector : ISpeechDetector, IDisposable
{
    private readonly WhisperVadFactory _factory;
    private readonly WhisperVadProcessor _vad;

    private SileroSpeechDetector(WhisperVadFactory factory, WhisperVadProcessor vad)
    {
        _factory = factory;
        _vad = vad;
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
            var vad = WhisperRuntime.Load(() => factory.CreateBuilder()
                .WithUseGpu(false)
                // Silero runs a tiny network per 32 ms frame: a second thread only adds a barrier per frame, and on a busy
                // machine those barriers made detection half of a call's transcription time.
                .WithThreads(1)
                .WithThreshold(options.Threshold)
                .WithMinSpeechDuration(TimeSpan.FromMilliseconds(options.MinSpeechMs))
                .WithMinSilenceDuration(TimeSpan.FromMilliseconds(options.MinSilenceMs))
                .WithSpeechPadding(TimeSpan.FromMilliseconds(options.SpeechPadMs))
                .WithMaxSpeechDuration(TimeSpan.FromSeconds(options.MaxSpeechSeconds))
                .Build(), $"VAD model '{fullPath}'");
            return new SileroSpeechDetector(factory, vad);
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
        try
        {
            segments = _vad.DetectSpeech(samples16kMono);
        }
        catch (WhisperProcessingException e)
        {
            throw new WhisperException(WhisperError.Vad, "speech detection failed", e);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return segments.Select(s => new SpeechSpan(s.Start.TotalSeconds, s.End.TotalSeconds)).ToList();
    }

    public void Dispose()
    {
        _vad.Dispose();
        _factory.Dispose();
    }
}
