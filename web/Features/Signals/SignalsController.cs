using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Review;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Signals;

/// <summary>
/// The review page's suggestion lane (loaded by htmx after the page, so the page itself costs no more) and the
/// reviewer's decisions. Accepting answers the annotations panel with its new marker, and the lane out of band.
/// </summary>
[Route("review/{callId:int}/signals"), Authorize(Policy = Policies.Review)]
public sealed class SignalsController(ReviewScopes.Handler scopes, CallSignals.Handler signals) : Controller
{
    public sealed record AcceptedModel(AnnotationPanel.Model Panel, SignalLane.Model Lane);

    [HttpGet("")]
    public async Task<IActionResult> Lane(int callId, CancellationToken ct) =>
        await scopes.ForCallAsync(callId, User.Current(), ct) is { } access
            ? this.PageOrFragment(() => Redirect(access.Scope.BasePath), "_SignalLane", await LaneAsync(access.Scope, ct))
            : NotFound();

    [HttpPost("{id:int}/accept")]
    public async Task<IActionResult> Accept(int callId, int id, string? cards, [FromServices] DecideSignal.Handler decide, [FromServices] AnnotationPanel.Handler panel,
        CancellationToken ct)
    {
        var user = User.Current();
        if (await scopes.ForCallAsync(callId, user, ct) is not { ReadOnly: false } access)
            return NotFound();
        return await this.Answer(await decide.AcceptAsync(access.Scope, user, id, ct),
            async annotationId =>
            {
                var change = await panel.ChangeAsync(access.Scope, annotationId, created: true, ct);
                var model = new AcceptedModel(await panel.LoadAsync(access.Scope, user, null, false, AnnotationPanel.CardsToShow(cards), ct, change),
                    await LaneAsync(access.Scope, ct) with { Oob = true });
                return this.PageOrFragment(() => Redirect(access.Scope.BasePath), "_SignalAccepted", model);
            },
            async () => this.PageOrFragment(() => Redirect(access.Scope.BasePath), "_SignalLane", await LaneAsync(access.Scope, ct)));
    }

    [HttpPost("{id:int}/dismiss")]
    public async Task<IActionResult> Dismiss(int callId, int id, [FromServices] DecideSignal.Handler decide, CancellationToken ct)
    {
        var user = User.Current();
        if (await scopes.ForCallAsync(callId, user, ct) is not { ReadOnly: false } access)
            return NotFound();
        var outcome = await decide.DismissAsync(access.Scope, user, id, ct);
        return await this.Answer(outcome,
            async _ => this.PageOrFragment(() => Redirect(access.Scope.BasePath), "_SignalLane", await LaneAsync(access.Scope, ct)),
            async () => this.PageOrFragment(() => Redirect(access.Scope.BasePath), "_SignalLane", await LaneAsync(access.Scope, ct)));
    }

    private async Task<SignalLane.Model> LaneAsync(ReviewScope scope, CancellationToken ct) =>
        new(scope.CallId, scope.DurationMs, await signals.ListAsync(scope.CallId, ct));
}
