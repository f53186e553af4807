using CallReview.Samples;
using CallReview.Transcription.Jobs;
using CallReview.Transcription.Recordings;
using CallReview.Transcription.Redaction;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Review;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Calls;

/// <summary>
/// Imports the shipped sample calls (samples/calls) through the normal import, with the transcripts our own
/// pipeline made of them (so the demo works before any model is installed) and the expert's annotations,
/// entered as the demo reviewer through the same rules as the review page. Most samples belong to a demo team and
/// one of its made-up agents, so the team column, filters and scoping have something to show; a few stay shared
/// (no team), as practice material every reviewer can open.
/// </summary>
public sealed class SampleCallsDemoSeeder(
    ImportCall.Handler import,
    RecordingMedia media,
    TranscriptionQueue queue,
    CallRedaction redaction,
    Signals.ComputeSignals.Handler signals,
    SaveAnnotation.Handler annotations,
    ReviewScopes.Handler scopes,
    IConfiguration configuration,
    CallReviewOptions options,
    ILogger<SampleCallsDemoSeeder> logger) : IDemoSeeder
{
    public int Order => 10;

    /// <summary>The team each sample belongs to; a sample not listed stays shared.</summary>
    private static readonly Dictionary<string, string> Teams = new()
    {
        ["billing-double-charge"] = AccountsDemoSeeder.BillingTeam,
        ["cancellation-retention"] = AccountsDemoSeeder.BillingTeam,
        ["delivery-delay"] = AccountsDemoSeeder.BillingTeam,
        ["faulty-kettle-return"] = AccountsDemoSeeder.BillingTeam,
        ["it-refund-good"] = AccountsDemoSeeder.BillingTeam,
        ["it-roaming-charges"] = AccountsDemoSeeder.BillingTeam,
        ["ro-estimated-bill"] = AccountsDemoSeeder.BillingTeam,
        ["broadband-fault-good"] = AccountsDemoSeeder.SupportTeam,
        ["ro-internet-outage"] = AccountsDemoSeeder.SupportTeam,
        ["cs-lost-parcel"] = AccountsDemoSeeder.SupportTeam,
    };

    public async Task SeedAsync(DemoContext demo, CancellationToken ct)
    {
        var directory = SampleCallLibrary.FindDirectory(configuration["CallReview:SamplesDirectory"], AppContext.BaseDirectory, options.SourceCheckout);
        if (directory is null)
        {
            logger.LogWarning("No sample calls found (CallReview:SamplesDirectory); the demo has no calls");
            return;
        }
        var handed = new Dictionary<int, int>();
        foreach (var sample in SampleCallLibrary.Load(directory))
        {
            var (team, agent, reviewer) = Assign(demo, sample.Slug, handed);
            var expert = new CurrentUser(reviewer.Id, reviewer.Email, reviewer.DisplayName, reviewer.Roles.ToHashSet(), reviewer.TeamIds.ToHashSet());
            var result = await import.ImportFileAsync(sample.AudioPath, new ImportCall.Metadata
            {
                Title = sample.Title,
                Team = team,
                Agent = agent,
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
                // Through the redaction step like any transcript: it masks what it finds and lets the audio be played.
                var turns = await redaction.ApplyAsync(result.CallId, transcript.Segments
                    .Select(s => new TranscriptTurn(s.Channel, s.Speaker, (long)Math.Round(s.Start * 1000), (long)Math.Round(s.End * 1000), s.Text, transcript.Language))
                    .ToList(), ct);
                await queue.RecordTranscriptAsync(result.CallId, turns, transcript.Language, "shipped transcript (samples/transcribe.sh)", ct);
                await signals.RunAsync(result.CallId, ct);
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

    /// <summary>
    /// A team's sample goes to the team's made-up agents in turn (the demo learner keeps a clean slate) and is
    /// annotated by a reviewer of the team; a shared sample is annotated by the demo reviewer.
    /// </summary>
    private static (string? Team, string Agent, DemoUser Expert) Assign(DemoContext demo, string slug, Dictionary<int, int> handed)
    {
        var shared = (default(string), "Sample agent", demo.Users[AccountsDemoSeeder.ReviewerEmail]);
        if (!Teams.TryGetValue(slug, out var team) || !demo.Teams.TryGetValue(team, out var teamId))
            return shared;
        var agents = demo.InRole(Roles.Learner).Where(u => u.TeamIds.Contains(teamId) && u.Email != AccountsDemoSeeder.LearnerEmail).OrderBy(u => u.Id).ToList();
        var reviewer = demo.InRole(Roles.Reviewer).Where(u => u.TeamIds.Contains(teamId)).MinBy(u => u.Id);
        if (agents.Count == 0 || reviewer is null)
            return shared;
        var turn = handed.GetValueOrDefault(teamId);
        handed[teamId] = turn + 1;
        return (team, agents[turn % agents.Count].DisplayName, reviewer);
    }
}
