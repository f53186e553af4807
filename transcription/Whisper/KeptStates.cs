using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using Whisper.net;

namespace CallReview.Transcription.Whisper;

/// <summary>
/// whisper.cpp's native states kept from run to run. Whisper.net builds a state for every run and frees it after
/// (whisper_init_state: key/value caches and compute buffers sized for the full 30 s window), a sixteenth of a pack's
/// time on a one-minute call; a state is fit for any later run whose audio context is a whole number of flash attention
/// blocks (whisper sets the context per run, and such a run reads only what it wrote), and no text is carried over (runs
/// are <c>no_context</c>). The full window (1500 positions) is padded to 1536 and reads the rest unmasked, so it runs on
/// states of its own, where those 36 positions stay as whisper_init_state cleared them (as whisper-cli's do).
/// Whisper.net keeps its state functions internal: they are reached by reflection (Whisper.net 1.9.1) as for
/// <see cref="ShortWindowLanguageDetector"/>, and <see cref="Run"/> returns null where that fails, so the caller runs
/// the processor as Whisper.net does.
/// </summary>
internal sealed class KeptStates : IDisposable
{
    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
    private static readonly FieldInfo? ContextField = typeof(WhisperProcessor).GetField("currentWhisperContext", Private);
    private static readonly FieldInfo? NativeField = typeof(WhisperProcessor).GetField("nativeWhisper", Private);
    /// <summary>Gives the run's parameters, naming the processor's callbacks and a handle to the run that they find.</summary>
    private static readonly MethodInfo? CreateProcessingContext = typeof(WhisperProcessor).GetMethod("CreateProcessingContext", Private);

    private readonly ConcurrentBag<IntPtr> _states = [];
    private readonly ConcurrentBag<IntPtr> _fullWindowStates = [];
    private readonly Lock _lock = new();
    private Delegate? _freeState;
    private int _created;
    private bool _unavailable;

    /// <summary>States built so far: at most as many as runs ever went on at once.</summary>
    public int Created => Volatile.Read(ref _created);

    /// <summary>
    /// Runs <paramref name="processor"/> on <paramref name="samples"/> with a kept state (one of the full window's when
    /// <paramref name="fullWindow"/>; its segments reach the processor's handlers as in Whisper.net's own runs);
    /// whisper's result code, or null where Whisper.net's internals differ (nothing was run).
    /// </summary>
    public unsafe int? Run(WhisperProcessor processor, ReadOnlySpan<float> samples, bool fullWindow, CancellationToken cancellationToken)
    {
        if (Native(processor) is not var (context, native) || CreateProcessingContext is null)
            return null;
        var init = (Delegate)native.GetType().GetProperty("Whisper_Init_State")!.GetValue(native)!;
        var full = (Delegate)native.GetType().GetProperty("Whisper_Full_With_State")!.GetValue(native)!;
        lock (_lock)
            _freeState ??= (Delegate)native.GetType().GetProperty("Whisper_Free_State")!.GetValue(native)!;
        var kept = fullWindow ? _fullWindowStates : _states;
        if (!kept.TryTake(out var state))
        {
            state = (IntPtr)init.DynamicInvoke(context)!;
            if (state == IntPtr.Zero)
                throw new WhisperException(WhisperError.Transcribe, "whisper could not allocate a state");
            Interlocked.Increment(ref _created);
        }
        var arguments = new object?[] { cancellationToken, null };
        var handle = (GCHandle)CreateProcessingContext.Invoke(processor, arguments)!;
        var result = -1;
        try
        {
            fixed (float* input = samples)
                result = (int)full.DynamicInvoke(context, state, arguments[1], (IntPtr)input, samples.Length)!;
            return result;
        }
        finally
        {
            handle.Free();
            // A run that failed or was stopped may leave its state half-way: it is not run again.
            if (result == 0)
                kept.Add(state);
            else
                Free(state);
        }
    }

    /// <summary>The processor's native context and Whisper.net's native functions; null once found missing.</summary>
    private (IntPtr Context, object Native)? Native(WhisperProcessor processor)
    {
        if (Volatile.Read(ref _unavailable))
            return null;
        var native = NativeField?.GetValue(processor);
        var properties = new[] { "Whisper_Init_State", "Whisper_Free_State", "Whisper_Full_With_State" };
        if (ContextField?.GetValue(processor) is not IntPtr context || native is null
            || properties.Any(p => native.GetType().GetProperty(p)?.GetValue(native) is not Delegate))
        {
            Volatile.Write(ref _unavailable, true);
            return null;
        }
        return (context, native);
    }

    private void Free(IntPtr state) => _freeState!.DynamicInvoke(state);

    public void Dispose()
    {
        foreach (var kept in new[] { _states, _fullWindowStates })
            while (kept.TryTake(out var state))
                Free(state);
    }
}
