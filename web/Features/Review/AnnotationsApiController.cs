using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Api;
using CallReview.Web.Features.Shared;
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
        return await this.Answer(await save.CreateAsync(access.Scope, User.Current(), body, ct),
            async id => Created($"/api/calls/{callId}/annotations/{id}", await FindAsync(access, id, ct)),
            () => Task.FromResult<IActionResult>(ValidationProblem(ModelState)));
    }

    [HttpPut("calls/{callId:int}/annotations/{annotationId:int}")]
    public async Task<IActionResult> Update(int callId, int annotationId, SaveAnnotation.Input body, [FromServices] SaveAnnotation.Handler save, CancellationToken ct)
    {
        if (await scopes.ForCallAsync(callId, User.Current(), ct) is not { } access)
            return NotFound();
        return await this.Answer(await save.UpdateAsync(access.Scope, User.Current(), annotationId, body, ct),
            async id => Ok(await FindAsync(access, id, ct)),
            () => Task.FromResult<IActionResult>(ValidationProblem(ModelState)));
    }

    [HttpDelete("calls/{callId:int}/annotations/{annotationId:int}")]
    public async Task<IActionResult> Delete(int callId, int annotationId, [FromServices] DeleteAnnotation.Handler delete, CancellationToken ct)
    {
        if (await scopes.ForCallAsync(callId, User.Current(), ct) is not { } access)
            return NotFound();
        return this.Answer(await delete.DeleteAsync(access.Scope, User.Current(), annotationId, ct), _ => NoContent());
    }

    private async Task<AnnotationJson> FindAsync(ReviewScopes.Access access, int id, CancellationToken ct) =>
        AnnotationJson.From((await panel.FindAsync(access.Scope, id, ct))!);
}
