using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Review;

/// <summary>
/// Annotations as JSON for integrations and scripted checks: the same handlers and rules as the review page.
/// Times are seconds from the call's start. Invalid input → 400 naming the field; a call the user may not
/// open → 404; a user without the review role → 403.
/// </summary>
[ApiController, Route("api"), ApiAntiforgery]
[Authorize(AuthenticationSchemes = ApiKeyAuthentication.KeyOrCookie, Policy = Policies.Review)]
public sealed class AnnotationsApiController(ReviewScopes.Handler scopes, AnnotationPanel.Handler panel) : ControllerBase
{
    public sealed record AnnotationJson(int Id, string Kind, decimal Start, decimal? End, string Category, string CategoryName, int? Severity,
        string Quote, string Expected, int AuthorId, string Author, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
    {
        public static AnnotationJson From(Annotation a) => new(a.Id, a.Kind, a.StartMs / 1000m, a.EndMs / 1000m, a.CategoryCode,
            a.CategoryName, a.Severity, a.Quote, a.Expected, a.AuthorUserId, a.AuthorName, a.CreatedAt, a.UpdatedAt);
    }

    [HttpGet("calls/{callId:int}/annotations")]
    public async Task<ActionResult<IEnumerable<AnnotationJson>>> List(int callId, CancellationToken ct)
    {
        if (await scopes.ForCallAsync(callId, User.Current(), ct) is not { } access)
            return NotFound();
        return Ok((await panel.ListAsync(access.Scope, ct)).Select(AnnotationJson.From));
    }

    [HttpPost("calls/{callId:int}/annotations")]
    public async Task<IActionResult> Create(int callId, SaveAnnotation.Input body, [FromServices] SaveAnnotation.Handler save, CancellationToken ct)
    {
        if (await scopes.ForCallAsync(callId, User.Current(), ct) is not { } access)
            return NotFound();
        var result = await save.CreateAsync(access.Scope, User.Current(), body, ct);
        if (result.Outcome == SaveAnnotation.Outcome.Invalid)
            return Invalid(result);
        var saved = await FindAsync(access, result.Id, ct);
        return Created($"/api/calls/{callId}/annotations/{result.Id}", saved);
    }

    [HttpPut("calls/{callId:int}/annotations/{annotationId:int}")]
    public async Task<IActionResult> Update(int callId, int annotationId, SaveAnnotation.Input body, [FromServices] SaveAnnotation.Handler save, CancellationToken ct)
    {
        if (await scopes.ForCallAsync(callId, User.Current(), ct) is not { } access)
            return NotFound();
        var result = await save.UpdateAsync(access.Scope, User.Current(), annotationId, body, ct);
        return result.Outcome switch
        {
            SaveAnnotation.Outcome.NotFound => NotFound(),
            SaveAnnotation.Outcome.Forbidden => Forbid(),
            SaveAnnotation.Outcome.Invalid => Invalid(result),
            _ => Ok(await FindAsync(access, annotationId, ct)),
        };
    }

    [HttpDelete("calls/{callId:int}/annotations/{annotationId:int}")]
    public async Task<IActionResult> Delete(int callId, int annotationId, [FromServices] DeleteAnnotation.Handler delete, CancellationToken ct)
    {
        if (await scopes.ForCallAsync(callId, User.Current(), ct) is not { } access)
            return NotFound();
        return await delete.DeleteAsync(access.Scope, User.Current(), annotationId, ct) switch
        {
            SaveAnnotation.Outcome.NotFound => NotFound(),
            SaveAnnotation.Outcome.Forbidden => Forbid(),
            _ => NoContent(),
        };
    }

    private async Task<AnnotationJson> FindAsync(ReviewScopes.Access access, int id, CancellationToken ct) =>
        AnnotationJson.From((await panel.ListAsync(access.Scope, ct)).Single(a => a.Id == id));

    private IActionResult Invalid(SaveAnnotation.Result result)
    {
        foreach (var (field, message) in result.Errors)
            ModelState.AddModelError(field, message);
        return ValidationProblem(ModelState);
    }
}
