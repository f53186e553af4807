namespace CallReview.Transcription.Jobs;

/// <summary>
/// A step the worker runs after it wrote a call's transcript (the web app's signals). It runs outside the job's
/// transaction and its failure is logged, never the job's: the transcript stands, and the step can be re-run on demand.
/// </summary>
public interface ITranscriptFollowUp
{
    Task RunAsync(int callId, CancellationToken ct);
}
