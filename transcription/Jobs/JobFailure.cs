using System.Globalization;
using System.Text.Json;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Whisper;

namespace CallReview.Transcription.Jobs;

/// <summary>
/// Why a job failed, as TranscriptionJob keeps it: a stable <see cref="Key"/> (never reworded: the interface says it in its
/// reader's language) with its figures (<see cref="Args"/>), and the technical <see cref="Detail"/> (an exception's
/// message) for admins and logs, kept in the Error column.
/// </summary>
public sealed record JobFailure(string Key, IReadOnlyList<string> Args, string Detail)
{
    /// <summary>No whisper model is installed (Detail: where it was looked for and how to get one).</summary>
    public const string NoModel = "no-model";
    /// <summary>The model the job asked for is not on this machine; Args: its name.</summary>
    public const string ModelUnavailable = "model-unavailable";
    /// <summary>A model file (whisper's or speech detection's) is missing or could not be loaded, or the runtime is missing.</summary>
    public const string ModelFailed = "model-failed";
    /// <summary>The model does not know the language asked for; Args: its code.</summary>
    public const string UnknownLanguage = "unknown-language";
    public const string SpeechDetectionFailed = "speech-detection-failed";
    /// <summary>The call has no recording, or its file is gone from the data folder.</summary>
    public const string RecordingMissing = "recording-missing";
    /// <summary>Decoding went past the length limit on a file whose header said less; Args: the limit, the header's length.</summary>
    public const string LongerThanItsHeaderSaid = "longer-than-header";
    public const string RecordingUnreadable = "recording-unreadable";
    /// <summary>The worker was stopped (shut down) during the attempt; the job goes back to the queue.</summary>
    public const string WorkerStopped = "worker-stopped";
    /// <summary>The worker died (its lease ran out) on every attempt.</summary>
    public const string WorkerDied = "worker-died";
    /// <summary>Anything else: an unexpected failure, told apart only by its Detail.</summary>
    public const string Failed = "failed";

    /// <summary>What an exception thrown while working on a job means for people; <paramref name="language"/> is the job's.</summary>
    public static JobFailure From(Exception ex, string language) => ex switch
    {
        PermanentJobException p => p.Failure,
        AudioRejectedException { Reason: AudioRejection.TooLong } a =>
            new(LongerThanItsHeaderSaid, [.. a.Args.Select(x => Convert.ToString(x, CultureInfo.InvariantCulture) ?? "")], ex.Message),
        AudioRejectedException => new(RecordingUnreadable, [], ex.Message),
        WhisperException { Error: WhisperError.Argument } => new(UnknownLanguage, [language], ex.Message),
        WhisperException { Error: WhisperError.Vad } => new(SpeechDetectionFailed, [], ex.Message),
        WhisperException { Error: WhisperError.Load or WhisperError.LibraryUnavailable } or FileNotFoundException => new(ModelFailed, [], ex.Message),
        _ => new(Failed, [], ex.Message),
    };

    /// <summary>The figures as stored in ErrorArgs.</summary>
    public string ArgsJson => JsonSerializer.Serialize(Args);

    /// <summary>
    /// A stored failure; null for a job that did not fail. An Error without a key (a job failed before keys were kept) reads as
    /// <see cref="Failed"/>: its text (model folders, commands, exception messages) is for admins only.
    /// </summary>
    public static JobFailure? Read(string? key, string? argsJson, string? detail) => key is null
        ? detail is null ? null : new(Failed, [], detail)
        : new(key, string.IsNullOrEmpty(argsJson) ? [] : JsonSerializer.Deserialize<string[]>(argsJson) ?? [], detail ?? "");
}

/// <summary>A failure that another attempt cannot fix (no model, missing file): the job fails at once.</summary>
public sealed class PermanentJobException(JobFailure failure) : Exception(failure.Detail)
{
    public JobFailure Failure { get; } = failure;
}
