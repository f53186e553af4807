using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Whisper.net;

namespace CallReview.Transcription.Whisper;

/// <summary>
/// whisper.cpp's language detection on a short window instead of a 30 s one. Detection runs the encoder with the audio
/// context its state was last run with, and Whisper.net gives every detection a fresh state, so each costs the full
/// 1500 positions however short the utterance: too much once per utterance. A state run once with a small audio context
/// keeps it, so every detection on it costs that context. Whisper.net keeps its state functions internal; they are
/// reached by reflection (Whisper.net 1.9.1), and <see cref="TryCreate"/> gives null where that fails, so the caller
/// falls back to the full window.
/// </summary>
internal sealed class ShortWindowLanguageDetector : IDisposable
{
    private const int SampleRate = 16_000;
    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;

    private readonly WhisperProcessor _processor;
    private readonly IntPtr _context;
    private readonly object _parameters;
    private readonly Delegate _initState, _freeState, _full, _toMel, _detect, _languageName;
    private readonly int _languages;
    private readonly ConcurrentBag<IntPtr> _states = [];
    private readonly ILogger _logger;
    private int _prepared, _refused, _warned;

    /// <summary>Set by <see cref="RefuseEncoder"/> on the thread whose run whisper asked (it asks on the caller's thread).</summary>
    [ThreadStatic] private static bool t_refused;

    /// <summary>The encoder positions each detection costs (50 a second).</summary>
    public int AudioContext { get; }

    /// <summary>The longest stretch of audio one detection looks at.</summary>
    public int MaxSamples => AudioContext * SampleRate / 50;

    /// <summary>States prepared so far, and how many of those runs whisper stopped before encoding.</summary>
    public int Prepared => Volatile.Read(ref _prepared);

    /// <inheritdoc cref="Prepared"/>
    public int Refused => Volatile.Read(ref _refused);

    private unsafe ShortWindowLanguageDetector(WhisperProcessor processor, int audioContext, ILogger logger)
    {
        _processor = processor;
        _logger = logger;
        AudioContext = audioContext;
        _context = (IntPtr)Field("currentWhisperContext");
        // The processor's parameters name its own callbacks, which look for a run of that processor: this run has none.
        _parameters = Field("whisperParams");
        foreach (var callback in new[] { "OnNewSegment", "OnProgressCallback", "OnAbort", "LogitsFilterCallback" })
            Parameter(callback).SetValue(_parameters, IntPtr.Zero);
        // whisper sets the state's audio context, then asks this callback before its first encoder pass: refused, preparing a
        // state costs no encoder pass (it cost one more detection per state, two per call when both channels detect at once).
        Parameter("OnEncoderBegin").SetValue(_parameters, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, byte>)&RefuseEncoder);
        var native = Field("nativeWhisper");
        Delegate Native(string name) => (Delegate)(native.GetType().GetProperty(name)?.GetValue(native)
            ?? throw new MissingMemberException(native.GetType().Name, name));
        _initState = Native("Whisper_Init_State");
        _freeState = Native("Whisper_Free_State");
        _full = Native("Whisper_Full_With_State");
        _toMel = Native("Whisper_PCM_To_Mel_With_State");
        _detect = Native("Whisper_Lang_Auto_Detect_With_State");
        _languageName = Native("Whisper_Lang_Str");
        _languages = (int)Native("Whisper_Lang_Max_Id").DynamicInvoke()! + 1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte RefuseEncoder(IntPtr context, IntPtr state, IntPtr userData)
    {
        t_refused = true;
        return 0;
    }

    private FieldInfo Parameter(string name) =>
        _parameters.GetType().GetField(name) ?? throw new MissingFieldException(_parameters.GetType().Name, name);

    private object Field(string name) =>
        typeof(WhisperProcessor).GetField(name, Private)?.GetValue(_processor) ?? throw new MissingFieldException(nameof(WhisperProcessor), name);

    /// <summary>A detector on <paramref name="factory"/>'s model with <paramref name="audioContext"/> positions; null where Whisper.net's internals differ.</summary>
    public static ShortWindowLanguageDetector? TryCreate(WhisperFactory factory, int audioContext, ILogger? logger = null)
    {
        // The run that leaves its audio context on a state, on silence in English (so whisper does not detect its language),
        // stopped before it encodes; and should a whisper build not stop it, one segment of one token, never retried at a
        // higher temperature, so it costs one short encoder pass and one decoder step.
        var processor = factory.CreateBuilder().WithThreads(1).WithLanguage("en").WithAudioContextSize(audioContext).WithNoContext()
            .WithSingleSegment().WithMaxTokensPerSegment(1).WithTemperatureInc(0).Build();
        try
        {
            return new ShortWindowLanguageDetector(processor, audioContext, logger ?? NullLogger.Instance);
        }
        catch (Exception e) when (e is MissingMemberException or InvalidCastException or TargetInvocationException or ArgumentException)
        {
            processor.Dispose();
            return null;
        }
    }

    /// <summary>The language of the first <see cref="MaxSamples"/> samples, with its probability.</summary>
    public unsafe DetectedLanguage Detect(ReadOnlySpan<float> samples, int threads)
    {
        samples = samples[..Math.Min(samples.Length, MaxSamples)];
        var state = Rent();
        try
        {
            var probabilities = new float[_languages];
            int id;
            fixed (float* input = samples)
            fixed (float* output = probabilities)
            {
                if ((int)_toMel.DynamicInvoke(_context, state, (IntPtr)input, samples.Length, threads)! != 0)
                    throw new WhisperException(WhisperError.Transcribe, "whisper could not compute the spectrogram for language detection");
                id = (int)_detect.DynamicInvoke(_context, state, 0, threads, (IntPtr)output)!;
            }
            if (id < 0)
                throw new WhisperException(WhisperError.Transcribe, $"whisper language detection failed ({id})");
            var name = Marshal.PtrToStringUTF8((IntPtr)_languageName.DynamicInvoke(id)!) ?? "en";
            return new DetectedLanguage(name, probabilities[id]);
        }
        finally
        {
            _states.Add(state);
        }
    }

    /// <summary>
    /// A state whose audio context is <see cref="AudioContext"/>: kept ones first, else a new one run once on silence, up to
    /// where whisper has set the context and is about to encode.
    /// </summary>
    private unsafe IntPtr Rent()
    {
        if (_states.TryTake(out var kept))
            return kept;
        var state = (IntPtr)_initState.DynamicInvoke(_context)!;
        if (state == IntPtr.Zero)
            throw new WhisperException(WhisperError.Transcribe, "whisper could not allocate a state for language detection");
        var silence = new float[SampleRate];
        int result;
        t_refused = false;
        fixed (float* input = silence)
            result = (int)_full.DynamicInvoke(_context, state, _parameters, (IntPtr)input, silence.Length)!;
        var refused = t_refused;
        if (result != 0)
        {
            _freeState.DynamicInvoke(state);
            throw new WhisperException(WhisperError.Transcribe, $"whisper could not prepare language detection ({result})");
        }
        Interlocked.Increment(ref _prepared);
        if (refused)
            Interlocked.Increment(ref _refused);
        else if (Interlocked.Exchange(ref _warned, 1) == 0)
            _logger.LogWarning("whisper ran the encoder while preparing a language detection state (its encoder-begin refusal was ignored): each new state costs one {Positions}-position encoder pass and one token", AudioContext);
        return state;
    }

    public void Dispose()
    {
        while (_states.TryTake(out var state))
            _freeState.DynamicInvoke(state);
        _processor.Dispose();
    }
}
