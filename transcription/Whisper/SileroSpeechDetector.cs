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

/// <summary>Silero VAD (whisper.cpp's ggml port). One instance detects one buffer at a time; calls are serialised.</summary>
public sealed unsafe class SileroSpeechDetector : ISpeechDetector, IDisposable
{
    private readonly VadHandle _vad;
    private readonly VadOptions _options;
    private readonly Lock _gate = new();

    private SileroSpeechDetector(VadHandle vad, VadOptions options)
    {
        _vad = vad;
        _options = options;
    }

    /// <summary>Loads a ggml Silero VAD model. Throws <see cref="FileNotFoundException"/> or <see cref="WhisperException"/>.</summary>
    public static SileroSpeechDetector Load(string path, VadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new FileNotFoundException($"VAD model not found: {fullPath}", fullPath);
        WhisperNative.EnsureLoaded();
        var vad = NativeMethods.VadInit(fullPath, Math.Clamp(Environment.ProcessorCount, 1, 4));
        if (vad.IsInvalid)
        {
            var error = NativeMethods.LastException($"failed to load VAD model '{fullPath}'");
            vad.Dispose();
            throw error;
        }
        return new SileroSpeechDetector(vad, options ?? new VadOptions());
    }

    /// <summary>Runs to completion once started: native detection cannot be interrupted (it takes well under a second per minute of audio).</summary>
    public IReadOnlyList<SpeechSpan> Detect(ReadOnlySpan<float> samples16kMono, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var parameters = new NativeMethods.CrwVadParams
        {
            Threshold = _options.Threshold,
            MinSpeechMs = _options.MinSpeechMs,
            MinSilenceMs = _options.MinSilenceMs,
            SpeechPadMs = _options.SpeechPadMs,
            MaxSpeechSeconds = (float)_options.MaxSpeechSeconds,
        };
        VadResultHandle result;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_vad.IsClosed, this);
            fixed (float* samples = samples16kMono)
            {
                if (NativeMethods.VadDetect(_vad, samples, samples16kMono.Length, &parameters, out result) != 0)
                {
                    var error = NativeMethods.LastException("speech detection failed");
                    result.Dispose();
                    throw error;
                }
            }
        }
        using (result)
        {
            var count = NativeMethods.VadResultSegmentCount(result);
            var spans = new List<SpeechSpan>(count);
            for (var i = 0; i < count; i++)
            {
                spans.Add(new SpeechSpan(NativeMethods.VadResultStartMs(result, i) / 1000.0,
                    NativeMethods.VadResultEndMs(result, i) / 1000.0));
            }
            cancellationToken.ThrowIfCancellationRequested();
            return spans;
        }
    }

    public void Dispose()
    {
        lock (_gate)
            _vad.Dispose();
    }
}
