using System.Runtime.InteropServices;

namespace CallReview.Transcription.Whisper;

/// <summary>P/Invoke surface of libcallreview_whisper (transcription/native/callreview_whisper.h).</summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "callreview_whisper";

    /// <summary>Must equal CRW_ABI_VERSION in callreview_whisper.h.</summary>
    internal const int AbiVersion = 1;

    [StructLayout(LayoutKind.Sequential)]
    internal struct CrwParams
    {
        public byte* Language;
        public byte* InitialPrompt;
        public int Threads;
        public int BeamSize;
        public int AudioCtx;
        public int Translate;
        public int NoContext;
        public int DetectLanguage;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct CrwVadParams
    {
        public float Threshold;
        public int MinSpeechMs;
        public int MinSilenceMs;
        public int SpeechPadMs;
        public float MaxSpeechSeconds;
    }

    [LibraryImport(Library, EntryPoint = "crw_abi_version")]
    internal static partial int GetAbiVersion();

    [LibraryImport(Library, EntryPoint = "crw_whisper_version")]
    internal static partial nint WhisperVersion();

    [LibraryImport(Library, EntryPoint = "crw_system_info")]
    internal static partial nint SystemInfo();

    [LibraryImport(Library, EntryPoint = "crw_set_log")]
    internal static partial void SetLog(delegate* unmanaged<int, byte*, nint, void> callback, nint userData);

    [LibraryImport(Library, EntryPoint = "crw_last_error_code")]
    internal static partial int LastErrorCode();

    [LibraryImport(Library, EntryPoint = "crw_last_error")]
    internal static partial nint LastError();

    [LibraryImport(Library, EntryPoint = "crw_init", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial ContextHandle Init(string modelPath, int useGpu);

    [LibraryImport(Library, EntryPoint = "crw_free")]
    internal static partial void Free(nint ctx);

    [LibraryImport(Library, EntryPoint = "crw_is_multilingual")]
    internal static partial int IsMultilingual(ContextHandle ctx);

    [LibraryImport(Library, EntryPoint = "crw_transcribe")]
    internal static partial int Transcribe(ContextHandle ctx, float* samples, int nSamples, CrwParams* parameters,
        delegate* unmanaged<int, nint, void> progress, delegate* unmanaged<nint, int> abort, nint userData,
        out ResultHandle result);

    [LibraryImport(Library, EntryPoint = "crw_result_n_segments")]
    internal static partial int ResultSegmentCount(ResultHandle result);

    [LibraryImport(Library, EntryPoint = "crw_result_segment_text")]
    internal static partial nint ResultSegmentText(ResultHandle result, int index);

    [LibraryImport(Library, EntryPoint = "crw_result_segment_t0_ms")]
    internal static partial long ResultSegmentStartMs(ResultHandle result, int index);

    [LibraryImport(Library, EntryPoint = "crw_result_segment_t1_ms")]
    internal static partial long ResultSegmentEndMs(ResultHandle result, int index);

    [LibraryImport(Library, EntryPoint = "crw_result_language")]
    internal static partial nint ResultLanguage(ResultHandle result);

    [LibraryImport(Library, EntryPoint = "crw_result_free")]
    internal static partial void ResultFree(nint result);

    [LibraryImport(Library, EntryPoint = "crw_vad_init", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial VadHandle VadInit(string modelPath, int threads);

    [LibraryImport(Library, EntryPoint = "crw_vad_free")]
    internal static partial void VadFree(nint vad);

    [LibraryImport(Library, EntryPoint = "crw_vad_detect")]
    internal static partial int VadDetect(VadHandle vad, float* samples, int nSamples, CrwVadParams* parameters,
        out VadResultHandle result);

    [LibraryImport(Library, EntryPoint = "crw_vad_result_n_segments")]
    internal static partial int VadResultSegmentCount(VadResultHandle result);

    [LibraryImport(Library, EntryPoint = "crw_vad_result_t0_ms")]
    internal static partial long VadResultStartMs(VadResultHandle result, int index);

    [LibraryImport(Library, EntryPoint = "crw_vad_result_t1_ms")]
    internal static partial long VadResultEndMs(VadResultHandle result, int index);

    [LibraryImport(Library, EntryPoint = "crw_vad_result_free")]
    internal static partial void VadResultFree(nint result);

    /// <summary>The calling thread's last native failure; call right after the failing function.</summary>
    internal static WhisperException LastException(string fallback)
    {
        var code = LastErrorCode();
        var message = Marshal.PtrToStringUTF8(LastError());
        return new WhisperException(code == 0 ? WhisperError.Transcribe : (WhisperError)code,
            string.IsNullOrEmpty(message) ? fallback : message);
    }
}
