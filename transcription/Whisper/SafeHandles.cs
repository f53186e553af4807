using Microsoft.Win32.SafeHandles;

namespace CallReview.Transcription.Whisper;

/// <summary>A loaded whisper model (crw_context).</summary>
internal sealed class ContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ContextHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        NativeMethods.Free(handle);
        return true;
    }
}

/// <summary>The segments of one transcription (crw_result).</summary>
internal sealed class ResultHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ResultHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        NativeMethods.ResultFree(handle);
        return true;
    }
}

/// <summary>A loaded Silero VAD model (crw_vad).</summary>
internal sealed class VadHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public VadHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        NativeMethods.VadFree(handle);
        return true;
    }
}

/// <summary>The speech segments of one detection (crw_vad_result).</summary>
internal sealed class VadResultHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public VadResultHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        NativeMethods.VadResultFree(handle);
        return true;
    }
}
