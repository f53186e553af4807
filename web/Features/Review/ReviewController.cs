using System.ComponentModel.DataAnnotations;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Calls;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Review;

[Route("review"), Authorize(Policy = Policies.Review)]
public sealed class ReviewController : Controller
{
    public sealed record QueueModel(WorkQueue.Model Queue, TranscriptSearch.Model Search);

    /// <summary>The work queue; filters push their URL so Back and refresh keep them.</summary>
    [HttpGet("")]
    public async Task<IActionResult> Queue(WorkQueue.Filter filter, [FromServices] WorkQueue.Handler queue, [FromServices] TranscriptSearch.Handler search, CancellationToken ct) =>
        View("Queue", new QueueModel(await queue.LoadAsync(filter, User.Current(), ct), await search.SearchAsync(null, null, User.Current(), ct)));

    /// <summary>Transcript search, optionally in one language (<c>?language=de</c>); each hit links to <c>/review/{id}?t=seconds</c>.</summary>
    [HttpGet("search")]
    public async Task<IActionResult> Search(string? q, string? language, [FromServices] WorkQueue.Handler queue, [FromServices] TranscriptSearch.Handler search, CancellationToken ct) =>
        View("Queue", new QueueModel(await queue.LoadAsync(new WorkQueue.Filter(), User.Current(), ct), await search.SearchAsync(q, language, User.Current(), ct)));

    /// <summary>The review workspace; <c>?t=</c> (seconds) opens it at a moment, e.g. from a search hit.</summary>
    [HttpGet("{callId:int}")]
    public async Task<IActionResult> Call(int callId, [Seconds, Display(Name = "Moment")] decimal? t, [FromServices] ReviewPage.Handler page, [FromServices] AuditLog audit, CancellationToken ct)
    {
        if (await page.LoadAsync(callId, User.Current(), t, ct) is not { } model)
            return NotFound();
        await audit.RecordOncePerSessionAsync(AuditActions.CallOpened, "Call", callId, "review page", ct);
        return View("Review", model);
    }

    /// <summary>One chunk of the call's transcript (<see cref="Timeline.ChunkMs"/>), which the review page loads as it is scrolled or played.</summary>
    [HttpGet("{callId:int}/transcript")]
    public async Task<IActionResult> Transcript(int callId, int chunk, [FromServices] CallAccess calls, [FromServices] LoadTimeline.Handler timelines, CancellationToken ct)
    {
        if (await calls.FindAsync(callId, User.Current(), ct) is not { } call || chunk < 0 || chunk > call.DurationMs / Timeline.ChunkMs)
            return NotFound();
        return PartialView("_TranscriptTurns", await timelines.ChunkAsync(call, chunk, ct));
    }

    [HttpPost("{callId:int}/scorecard"), HttpPost("/calibration/{sessionId:int}/scorecard")]
    public async Task<IActionResult> Score(int? callId, int? sessionId, SaveScorecard.Form form,
        [FromServices] ReviewScopes.Handler scopes, [FromServices] SaveScorecard.Handler save, [FromServices] ScorecardPanel.Handler panel, CancellationToken ct)
    {
        var user = User.Current();
        if (await scopes.ResolveAsync(callId, sessionId, user, ct) is not { ReadOnly: false } access)
            return NotFound();
        return await this.Answer(await save.SaveAsync(access.Scope, user, form, ct),
            // Without htmx a saved scorecard goes back to the page; an invalid one shows its panel with the errors.
            async _ => this.PageOrFragment(() => Redirect(access.Scope.BasePath), "_Scorecard", await panel.LoadAsync(access.Scope, user.Id, false, ct)),
            async () =>
            {
                var model = await panel.LoadAsync(access.Scope, user.Id, false, ct, form);
                return this.PageOrFragment(() => PartialView("_Scorecard", model), "_Scorecard", model);
            });
    }
}
