using CallReview.Web.Features.Accounts;
using Htmx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Review;

/// <summary>
/// The annotations panel's htmx endpoints, the same for a call's review and for a calibration session: an answer is
/// the <c>_Annotations</c> panel (or the form), invalid input re-renders the form with 200; the two most frequent
/// answers are only what they change: a new annotation's (<c>_AnnotationAdded</c>) and "show more"'s, the next page of
/// cards appended to the list (<c>_AnnotationsNextPage</c>). The panel sends which cards it shows (<c>cards</c>,
/// <see cref="AnnotationPanel.ShownCards"/>), so an answer shows as many, and these two can tell whether they are still the
/// first ones (otherwise they answer the whole panel) and where a new card goes among them; a write's answer also updates
/// the page's marker list out of band instead of sending every marker again.
/// </summary>
[Route("review/{callId:int}/annotations"), Route("calibration/{sessionId:int}/annotations"), Authorize(Policy = Policies.Review)]
public sealed class AnnotationsController(ReviewScopes.Handler scopes, AnnotationPanel.Handler panel) : Controller
{
    /// <summary>
    /// The panel; <c>more</c> shows another page of cards. For htmx that is the next page alone, appended to the cards
    /// shown, when they are still the first ones (<see cref="AnnotationPanel.Handler.NextPageAsync"/>); otherwise (they
    /// changed, or a page sent something else, as one loaded before a deploy may) the whole panel with a page more.
    /// Either answer says where it goes, whatever the page's button targets.
    /// </summary>
    [HttpGet("")]
    public async Task<IActionResult> Panel(int? callId, int? sessionId, string? cards, bool more, CancellationToken ct)
    {
        if (await scopes.ResolveAsync(callId, sessionId, User.Current(), ct) is not { } access)
            return NotFound();
        if (!more || !Request.IsHtmx())
            return await PanelAsync(access, null, AnnotationPanel.CardsToShow(cards, more), null, ct);
        if (AnnotationPanel.ShownCards.Parse(cards) is { } shown
            && await panel.NextPageAsync(access.Scope, User.Current(), access.ReadOnly, shown, ct) is { } next)
        {
            Response.Htmx(h => h.WithVary().Retarget("#annotation-list").Reswap("beforeend"));
            return PartialView("_AnnotationsNextPage", next);
        }
        Response.Htmx(h => h.Retarget("#annotations").Reswap("outerHTML"));
        return await PanelAsync(access, null, AnnotationPanel.CardsToShow(cards, more), null, ct);
    }

    /// <summary>The new-annotation form at a moment (what <c>m</c>, <c>[</c>/<c>]</c> load), pre-filled from the transcript.</summary>
    [HttpGet("new")]
    public async Task<IActionResult> New(int? callId, int? sessionId, [Seconds] decimal start, [Seconds] decimal? end, [FromServices] SaveAnnotation.Handler save, CancellationToken ct)
    {
        if (await scopes.ResolveAsync(callId, sessionId, User.Current(), ct) is not { ReadOnly: false } access)
            return NotFound();
        var input = await save.PrefillAsync(access.Scope, start, end, ct);
        return PartialView("_AnnotationForm", await panel.FormAsync(access.Scope, User.Current(), new AnnotationPanel.Editor(null, input), ct));
    }

    [HttpPost("")]
    public async Task<IActionResult> Create(int? callId, int? sessionId, string? cards, SaveAnnotation.Input input, [FromServices] SaveAnnotation.Handler save, CancellationToken ct)
    {
        if (await scopes.ResolveAsync(callId, sessionId, User.Current(), ct) is not { ReadOnly: false } access)
            return NotFound();
        return await this.Answer(await save.CreateAsync(access.Scope, User.Current(), input, ct),
            id => AddedAsync(access, id, cards, ct),
            () => PanelAsync(access, new AnnotationPanel.Editor(null, input), AnnotationPanel.CardsToShow(cards), null, ct));
    }

    [HttpGet("{id:int}/edit")]
    public async Task<IActionResult> Edit(int? callId, int? sessionId, int id, CancellationToken ct)
    {
        if (await scopes.ResolveAsync(callId, sessionId, User.Current(), ct) is not { ReadOnly: false } access)
            return NotFound();
        if (await panel.FindAsync(access.Scope, id, ct) is not { } item)
            return NotFound();
        var input = new SaveAnnotation.Input
        {
            Kind = item.Kind, Start = item.StartMs / 1000m, End = item.EndMs / 1000m, Category = item.CategoryCode,
            Severity = item.Severity, Quote = item.Quote, Expected = item.Expected,
        };
        var model = await panel.FormAsync(access.Scope, User.Current(), new AnnotationPanel.Editor(id, input), ct);
        return model.MayChange(item) ? PartialView("_AnnotationForm", model) : Forbid();
    }

    [HttpPost("{id:int}")]
    public async Task<IActionResult> Update(int? callId, int? sessionId, int id, string? cards, SaveAnnotation.Input input, [FromServices] SaveAnnotation.Handler save, CancellationToken ct)
    {
        if (await scopes.ResolveAsync(callId, sessionId, User.Current(), ct) is not { ReadOnly: false } access)
            return NotFound();
        return await this.Answer(await save.UpdateAsync(access.Scope, User.Current(), id, input, ct),
            async _ => await PanelAsync(access, null, AnnotationPanel.CardsToShow(cards), await panel.ChangeAsync(access.Scope, id, created: false, ct), ct),
            () => PanelAsync(access, new AnnotationPanel.Editor(id, input), AnnotationPanel.CardsToShow(cards), null, ct));
    }

    [HttpPost("{id:int}/delete")]
    public async Task<IActionResult> Delete(int? callId, int? sessionId, int id, string? cards, [FromServices] DeleteAnnotation.Handler delete, CancellationToken ct)
    {
        if (await scopes.ResolveAsync(callId, sessionId, User.Current(), ct) is not { ReadOnly: false } access)
            return NotFound();
        return await this.Answer(await delete.DeleteAsync(access.Scope, User.Current(), id, ct),
            _ => PanelAsync(access, null, AnnotationPanel.CardsToShow(cards), new AnnotationPanel.MarkerChange(id, null, Created: false), ct));
    }

    /// <summary>An annotation's changes; 404 for one the user may not see (another participant's pin in a session) as for none.</summary>
    [HttpGet("{id:int}/history")]
    public async Task<IActionResult> History(int? callId, int? sessionId, int id, CancellationToken ct) =>
        await scopes.ResolveAsync(callId, sessionId, User.Current(), ct) is { } access
        && await panel.HistoryAsync(access.Scope, id, ct) is { } history
            ? PartialView("_AnnotationHistory", history)
            : NotFound();

    /// <summary>
    /// For htmx, the parts of the panel a new annotation changes, by id (no swap of the panel itself): its card where it
    /// sorts among those shown, the count, "show more", the emptied form slot and its marker. The whole panel when the
    /// page's <paramref name="cards"/> are not the first ones any more.
    /// </summary>
    private async Task<IActionResult> AddedAsync(ReviewScopes.Access access, int id, string? cards, CancellationToken ct)
    {
        if (!Request.IsHtmx() || AnnotationPanel.ShownCards.Parse(cards) is not { } shownCards
            || await panel.AddedAsync(access.Scope, User.Current(), id, shownCards, ct) is not { } added)
            return await PanelAsync(access, null, AnnotationPanel.CardsToShow(cards), await panel.ChangeAsync(access.Scope, id, created: true, ct), ct);
        Response.Htmx(h => h.WithVary().Reswap("none"));
        return PartialView("_AnnotationAdded", added);
    }

    private async Task<IActionResult> PanelAsync(ReviewScopes.Access access, AnnotationPanel.Editor? form, int shown, AnnotationPanel.MarkerChange? change,
        CancellationToken ct)
    {
        var model = await panel.LoadAsync(access.Scope, User.Current(), form, access.ReadOnly, shown, ct, change);
        // Without htmx: back to the page after a change; an invalid form shows alone with its errors.
        return this.PageOrFragment(() => form is null ? Redirect(access.Scope.BasePath) : View("AnnotationFormPage", model), "_Annotations", model);
    }
}
