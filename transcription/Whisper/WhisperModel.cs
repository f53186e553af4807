using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;

namespace CallReview.Transcription.Whisper;

/// <summary>
/// A whisper.cpp model loaded once and shared: every <see cref="Transcribe"/> call gets its own native
/// state, so calls may run in parallel on one instance.
/// </summary>
public sealed unsafe class WhisperModel : ITranscriptionEngine, IDisposable
{
    private const int SampleRate = 16_000;
    /// <summary>Whisper's encoder sees 30 s as 1500 positions: 50 per second.</summary>
    private const int AudioCtxPerSecond = 50;
    private const int FullAudioCtx = 1500;
    /// <summary>
    /// About 10 s. Smaller windows make tiny.en repeat or garble short utterances (seen with 256 and 384 on
    /// the first 2.5 s and 5 s of jfk.wav); from 512 up the text matches the full window's.
    /// </summary>
    private const int MinAudioCtx = 512;
    private const int AudioCtxStep = 64;

    private readonly ContextHandle _context;

    private WhisperModel(ContextHandle context, string path)
    {
        _context = context;
        Path = path;
        IsMultilingual = NativeMethods.IsMultilingual(context) != 0;
    }

    public string Path { get; }

    /// <summary>False for English-only models (*.en), which always transcribe as "en".</summary>
    public bool IsMultilingual { get; }

    /// <summary>Loads a ggml whisper model. Throws <see cref="FileNotFoundException"/> or <see cref="WhisperException"/>.</summary>
    public static WhisperModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new FileNotFoundException($"Whisper model not found: {fullPath}", fullPath);
        WhisperNative.EnsureLoaded();
        var context = NativeMethods.Init(fullPath, useGpu: 0);
        if (context.IsInvalid)
        {
            var error = NativeMethods.LastException($"failed to load whisper model '{fullPath}'");
            context.Dispose();
            throw error;
        }
        return new WhisperModel(context, fullPath);
    }

    /// <summary>The encoder context for <paramref name="sampleCount"/> samples, or 0 for whisper's full 30 s window.</summary>
    internal static int FittedAudioContext(int sampleCount)
    {
        var needed = (int)Math.Ceiling(sampleCount * (double)AudioCtxPerSecond / SampleRate);
        var rounded = (needed + AudioCtxStep - 1) / AudioCtxStep * AudioCtxStep;
        var ctx = Math.Max(MinAudioCtx, rounded);
        return ctx >= FullAudioCtx ? 0 : ctx;
    }

    public TranscriptionResult Transcribe(ReadOnlySpan<float> samples16kMono, TranscriptionOptions options,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        cancellationToken.ThrowIfCancellationRequested();

        var call = new CallState(progress, cancellationToken);
        var callHandle = GCHandle.Alloc(call);
        try
        {
            var language = Utf8Z(options.Language);
            var prompt = options.InitialPrompt is null ? null : Utf8Z(options.InitialPrompt);
            ResultHandle result;
            fixed (float* samples = samples16kMono)
            fixed (byte* languagePtr = language)
            fixed (byte* promptPtr = prompt)
            {
                var parameters = new NativeMethods.CrwParams
                {
                    Language = languagePtr,
                    InitialPrompt = promptPtr,
                    Threads = Math.Max(1, options.Threads),
                    BeamSize = Math.Max(1, options.BeamSize),
                    AudioCtx = options.FitAudioContext ? FittedAudioContext(samples16kMono.Length) : 0,
                    NoContext = 1,
                };
                var status = NativeMethods.Transcribe(_context, samples, samples16kMono.Length, &parameters,
                    &OnProgress, &OnAbort, GCHandle.ToIntPtr(callHandle), out result);
                if (status != 0)
                {
                    var error = NativeMethods.LastException($"whisper transcription failed ({status})");
                    result.Dispose();
                    if (error.Error == WhisperError.Aborted)
                        call.ThrowAborted(error);
                    throw error;
                }
            }
            using (result)
            {
                call.ThrowIfFailed();
                var transcription = Read(result);
                progress?.Report(1.0);
                return transcription;
            }
        }
        finally
        {
            callHandle.Free();
        }
    }

    private static TranscriptionResult Read(ResultHandle result)
    {
        var count = NativeMethods.ResultSegmentCount(result);
        var segments = new List<TranscribedSegment>(count);
        for (var i = 0; i < count; i++)
        {
            var text = Marshal.PtrToStringUTF8(NativeMethods.ResultSegmentText(result, i)) ?? "";
            segments.Add(new TranscribedSegment(
                NativeMethods.ResultSegmentStartMs(result, i) / 1000.0,
                NativeMethods.ResultSegmentEndMs(result, i) / 1000.0,
                text.Trim()));
        }
        var language = Marshal.PtrToStringUTF8(NativeMethods.ResultLanguage(result)) ?? "";
        return new TranscriptionResult(language, segments);
    }

    private static byte[] Utf8Z(string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    [UnmanagedCallersOnly]
    private static void OnProgress(int percent, nint userData) =>
        ((CallState)GCHandle.FromIntPtr(userData).Target!).Progress(percent);

    [UnmanagedCallersOnly]
    private static int OnAbort(nint userData) =>
        ((CallState)GCHandle.FromIntPtr(userData).Target!).ShouldAbort() ? 1 : 0;

    public void Dispose() => _context.Dispose();

    /// <summary>What the native callbacks of one call need; never lets an exception reach native code.</summary>
    private sealed class CallState(IProgress<double>? progress, CancellationToken cancellationToken)
    {
        private double _reported = -1;
        private Exception? _failure;

        public void Progress(int percent)
        {
            var value = Math.Clamp(percent / 100.0, 0.0, 1.0);
            // whisper reports 100 before the last window is decoded; the caller gets 1.0 when the result is ready.
            if (progress is null || value <= _reported || value >= 1.0 || _failure is not null)
                return;
            _reported = value;
            try
            {
                progress.Report(value);
            }
            catch (Exception e)
            {
                _failure = e;
            }
        }

        public bool ShouldAbort() => _failure is not null || cancellationToken.IsCancellationRequested;

        public void ThrowIfFailed()
        {
            if (_failure is not null)
                ExceptionDispatchInfo.Throw(_failure);
            cancellationToken.ThrowIfCancellationRequested();
        }

        /// <summary>Native code stopped because <see cref="ShouldAbort"/> said so: surface the reason.</summary>
        [DoesNotReturn]
        public void ThrowAborted(WhisperException aborted)
        {
            if (_failure is not null)
                ExceptionDispatchInfo.Throw(_failure);
            throw new OperationCanceledException("Transcription was cancelled.", aborted, cancellationToken);
        }
    }
}
