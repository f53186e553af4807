using CallReview.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Review;

/// <summary>
/// The annotations panel's htmx endpoints, the same for a call's review and for a calibration session: every
/// answer is the <c>_Annotations</c> panel (or the form), invalid input re-renders the form with 200.
/// </summary>
[Route("review/{callId:int}/annotations"), Route("calibration/{sessionId:int}/annotations"), Authorize(Policy = Policies.Review)]
public sealed class AnnotationsController(ReviewScopes.Handler scopes, AnnotationPanel.Handler panel) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Panel(int? callId, int? sessionId, CancellationToken ct) =>
        await scopes.ResolveAsync(callId, sessionId, User.Current(), ct) is { } access
            ? await PanelAsync(access, null, ct)
            : NotFound();

    /// <summary>The new-annotation form at a moment (what <c>m</c>, <c>[</c>/<c>]</c> load), pre-filled from the transcript.</summary>
    [HttpGet("new")]
    public async Task<IActionResult> New(int? callId, int? sessionId, [Seconds] decimal start, [Seconds] decimal? end, [FromServices] SaveAnnotation.Handler save, CancellationToken ct)
    {
        if (await scopes.ResolveAsync(callId, sessionId, User.Current(), ct) is not { ReadOnly: false } access)
            return NotFound();
        var input = await save.PrefillAsync(access.Scope, start, end, ct);
        var model = await panel.LoadAsync(access.Scope, User.Current(), new AnnotationPanel.Editor(null, input), false, ct);
        return PartialView("_AnnotationForm", model);
    }

    [HttpPost("")]
    public async Task<IActionResult> Create(int? callId, int? sessionId, SaveAnnotation.Input input, [FromServices] SaveAnnotation.Handler save, CancellationToken ct)
    {
        if (await scopes.ResolveAsync(callId, sessionId, User.Current(), ct) is not { ReadOnly: false } access)
            return NotFound();
        return await this.Answer(await save.CreateAsync(access.Scope, User.Current(), input, ct),
            _ => PanelAsync(access, null, ct),
            () => PanelAsync(access, new AnnotationPanel.Editor(null, input), ct));
    }

    [HttpGet("{id:int}/edit")]
    public async Task<IActionResult> Edit(int? callId, int? sessionId, int id, CancellationToken ct)
    {
        if (await scopes.ResolveAsync(callId, sessionId, User.Current(), ct) is not { ReadOnly: false } access)
            return NotFound();
        var model = await panel.LoadAsync(access.Scope, User.Current(), null, false, ct);
        if (model.Items.FirstOrDefault(i => i.Id == id) is not { } item)
            return NotFound();
        if (!model.MayChange(item))
            return Forbid();
        var input = new SaveAnnotation.Input
        {
            Kind = item.Kind, Start = item.StartMs / 1000m, End = item.EndMs / 1000m, Category = item.CategoryCode,
            Severity = item.Severity, Quote = item.Quote, Expected = item.Expected,
        };
        return PartialView("_AnnotationForm", model with { Form = new AnnotationPanel.Editor(id, input) });
    }

    [HttpPost("{id:int}")]
    public async Task<IActionResult> Update(int? callId, int? sessionId, int id, SaveAnnotation.Input input, [FromServices] SaveAnnotation.Handler save, CancellationToken ct)
    {
        if (await scopes.ResolveAsync(callId, sessionId, User.Current(), ct) is not { ReadOnly: false } access)
            return NotFound();
        return await this.Answer(await save.UpdateAsync(access.Scope, User.Current(), id, input, ct),
            _ => PanelAsync(access, null, ct),
            () => PanelAsync(access, new AnnotationPanel.Editor(id, input), ct));
    }

    [HttpPost("{id:int}/delete")]
    public async Task<IActionResult> Delete(int? callId, int? sessionId, int id, [FromServices] DeleteAnnotation.Handler delete, CancellationToken ct)
    {
        if (await scopes.ResolveAsync(callId, sessionId, User.Current(), ct) is not { ReadOnly: false } access)
            return NotFound();
        return await this.Answer(await delete.DeleteAsync(access.Scope, User.Current(), id, ct), _ => PanelAsync(access, null, ct));
    }

    /// <summary>An annotation's changes; 404 for one the user may not see (another participant's pin in a session) as for none.</summary>
    [HttpGet("{id:int}/history")]
    public async Task<IActionResult> History(int? callId, int? sessionId, int id, CancellationToken ct) =>
        await scopes.ResolveAsync(callId, sessionId, User.Current(), ct) is { } access
        && await panel.HistoryAsync(access.Scope, id, ct) is { } history
            ? PartialView("_AnnotationHistory", history)
            : NotFound();

    private async Task<IActionResult> PanelAsync(ReviewScopes.Access access, AnnotationPanel.Editor? form, CancellationToken ct)
    {
        var model = await panel.LoadAsync(access.Scope, User.Current(), form, access.ReadOnly, ct);
        // Without htmx: back to the page after a change; an invalid form shows alone with its errors.
        return this.PageOrFragment(() => form is null ? Redirect(access.Scope.BasePath) : View("AnnotationFormPage", model), "_Annotations", model);
    }
}
