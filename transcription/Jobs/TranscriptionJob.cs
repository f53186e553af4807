namespace CallReview.Transcription.Jobs;

public static class JobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

/// <summary>A TranscriptionJob row: one request to (re)transcribe a call, with its lease while a worker holds it.</summary>
public sealed class TranscriptionJob
{
    public int Id { get; init; }
    public int CallId { get; init; }
    public string Status { get; init; } = JobStatus.Queued;
    public string? Model { get; init; }
    public string Language { get; init; } = "auto";
    public int Attempts { get; init; }
    public int MaxAttempts { get; init; }
    public double Progress { get; init; }
    public string? LeaseOwner { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    /// <summary>The technical detail of a failure: for admins only, a job failed before keys were kept included.</summary>
    public string? Error { get; init; }
    public string? ErrorKey { get; init; }
    public string? ErrorArgs { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    public JobFailure? Failure => JobFailure.Read(ErrorKey, ErrorArgs, Error);

    public const string Columns = "Id, CallId, Status, Model, Language, Attempts, MaxAttempts, Progress, LeaseOwner, LeaseExpiresAt, Error, ErrorKey, ErrorArgs, CreatedAt, StartedAt, FinishedAt";
}

/// <summary>
/// A transcript turn on the call's clock, as the worker writes it into Segment. <paramref name="Words"/>, on the call's
/// clock too, when the engine timed them: only the redaction step reads them (to mute card data where it was said);
/// they are not stored.
/// </summary>
public sealed record TranscriptTurn(int Channel, string Speaker, long StartMs, long EndMs, string Text, string? Language,
    IReadOnlyList<TimedWord>? Words = null);
