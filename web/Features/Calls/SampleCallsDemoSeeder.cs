using CallReview.Samples;
using CallReview.Transcription.Jobs;
using CallReview.Transcription.Recordings;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Review;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Calls;

/// <summary>
/// Imports the shipped sample calls (samples/calls) through the normal import, with the transcripts our own
/// pipeline made of them (so the demo works before any model is installed) and the expert's annotations,
/// entered as the demo reviewer through the same rules as the review page.
/// </summary>
public sealed class SampleCallsDemoSeeder(
    ImportCall.Handler import,
    RecordingMedia media,
    TranscriptionQueue queue,
    SaveAnnotation.Handler annotations,
    ReviewScopes.Handler scopes,
    IConfiguration configuration,
    CallReviewOptions options,
    ILogger<SampleCallsDemoSeeder> logger) : IDemoSeeder
{
    public int Order => 10;

    public async Task SeedAsync(DemoContext demo, CancellationToken ct)
    {
        var directory = SampleCallLibrary.FindDirectory(configuration["CallReview:SamplesDirectory"], AppContext.BaseDirectory, options.SourceCheckout);
        if (directory is null)
        {
            logger.LogWarning("No sample calls found (CallReview:SamplesDirectory); the demo has no calls");
            return;
        }
        var reviewer = demo.Users[AccountsDemoSeeder.ReviewerEmail];
        var expert = new CurrentUser(reviewer.Id, reviewer.Email, reviewer.DisplayName, reviewer.Roles.ToHashSet(), reviewer.TeamIds.ToHashSet());
        foreach (var sample in SampleCallLibrary.Load(directory))
        {
            var result = await import.ImportFileAsync(sample.AudioPath, new ImportCall.Metadata
            {
                Title = sample.Title,
                Agent = "Sample agent",
                Layout = "agent-left",
                Language = sample.Language,
                IsSample = true,
                Tags = ["sample", .. sample.Annotations.Select(a => a.Category).Distinct()],
                StartedAt = demo.Now.AddDays(-demo.Random.Next(1, 28)),
                QueueTranscription = sample.Transcript is null,
            }, importedBy: null, ct);
            demo.SampleCalls[sample.Slug] = result.CallId;
            demo.Calls.Add(result.CallId);
            if (result.AlreadyExisted)
                continue;
            if (sample.Transcript is { } transcript)
            {
                await media.PrepareAsync(result.CallId, ct);
                await queue.RecordTranscriptAsync(result.CallId, transcript.Segments
                    .Select(s => new TranscriptTurn(s.Channel, s.Speaker, (long)Math.Round(s.Start * 1000), (long)Math.Round(s.End * 1000), s.Text, transcript.Language))
                    .ToList(), transcript.Language, "shipped transcript (samples/transcribe.sh)", ct);
            }
            var scope = (await scopes.ForCallAsync(result.CallId, expert, ct))!.Scope;
            foreach (var a in sample.Annotations)
            {
                var saved = await annotations.CreateAsync(scope, expert, new SaveAnnotation.Input
                {
                    Kind = a.Kind, Start = (decimal)a.Start, End = (decimal)a.End, Category = a.Category,
                    Severity = a.Severity, Quote = a.Quote, Expected = a.Expected,
                }, ct);
                if (!saved.IsDone)
                    logger.LogWarning("Sample {Slug}: annotation at {Start} s not saved: {Errors}", sample.Slug, a.Start, string.Join("; ", saved.Errors.Values));
            }
        }
    }
}
