namespace CallReview.Transcription.Whisper;

/// <summary>What went wrong in the native layer; values match crw_status in callreview_whisper.h.</summary>
public enum WhisperError
{
    Argument = 1,
    Load = 2,
    State = 3,
    Transcribe = 4,
    Aborted = 5,
    Vad = 6,
    OutOfMemory = 7,
    /// <summary>The native library could not be found, loaded, or is of another ABI version.</summary>
    LibraryUnavailable = 100,
}

/// <summary>A failure reported by whisper.cpp or our shim, with the native message.</summary>
public sealed class WhisperException : Exception
{
    public WhisperException(WhisperError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    public WhisperError Error { get; }
}
