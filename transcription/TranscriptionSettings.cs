namespace CallReview.Transcription;

/// <summary>
/// Configuration under <c>CallReview:Whisper</c>, <c>CallReview:SpeechDetection</c>, <c>CallReview:Limits</c>,
/// <c>CallReview:Worker</c> and <c>CallReview:Redaction</c>, bound once at start-up.
/// </summary>
public sealed class TranscriptionSettings
{
    public WhisperSettings Whisper { get; init; } = new();
    public SpeechDetectionSettings SpeechDetection { get; init; } = new();
    public LimitSettings Limits { get; init; } = new();
    public WorkerSettings Worker { get; init; } = new();
    public RedactionSettings Redaction { get; init; } = new();
}

public sealed class WhisperSettings
{
    /// <summary>A ggml model file. Empty: looked for in the data folder's models/, then in the shared test data.</summary>
    public string? ModelPath { get; init; }
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);
    /// <summary>"auto" detects the language per utterance (a call may switch); or a code such as "en", "it", "ro".</summary>
    public string Language { get; init; } = "auto";
    public int BeamSize { get; init; } = 1;
}

public sealed class SpeechDetectionSettings
{
    public const string SileroEngine = "silero";
    public const string EnergyEngine = "energy";

    /// <summary>"silero" (whisper.cpp's VAD with the Silero model; falls back to energy when no model is found) or "energy".</summary>
    public string Engine { get; init; } = SileroEngine;
    /// <summary>A ggml Silero model; empty: looked for beside the whisper models.</summary>
    public string? VadModelPath { get; init; }
    public Whisper.VadOptions Silero { get; init; } = new();
}

public sealed class LimitSettings
{
    public long MaxUploadBytes { get; init; } = 500L * 1024 * 1024;
    public double MaxDurationSeconds { get; init; } = 4 * 3600;
}

public sealed class WorkerSettings
{
    /// <summary>Run a transcription worker inside the web app (turn off when separate `worker` processes do it).</summary>
    public bool Enabled { get; init; } = true;
    public int LeaseSeconds { get; init; } = 60;
    public double PollSeconds { get; init; } = 2;
}

public sealed class RedactionSettings
{
    /// <summary>
    /// Keep the recording as uploaded, card data and all, beside the muted playback copy. Off: the original is replaced by
    /// a muted lossless copy as soon as card data is found (PCI DSS forbids keeping a security code, even encrypted).
    /// </summary>
    public bool KeepOriginal { get; init; }
}
