namespace CallReview.Transcription.Whisper;

/// <summary>What went wrong in whisper.cpp (through Whisper.net).</summary>
public enum WhisperError
{
    Argument = 1,
    Load = 2,
    Transcribe = 4,
    Vad = 6,
    /// <summary>Whisper.net's native runtime could not be found or loaded.</summary>
    LibraryUnavailable = 100,
}

/// <summary>A failure reported by whisper.cpp, with its own words where it gave any.</summary>
public sealed class WhisperException : Exception
{
    public WhisperException(WhisperError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    public WhisperError Error { get; }
}
