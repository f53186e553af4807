using CallReview.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Practice;

/// <summary>An exercise's discussion: learners after submitting, reviewers and supervisors of the teams it is published to.</summary>
[Route("practice"), Authorize]
public sealed class DiscussionController(Discussion.Handler discussion) : Controller
{
    [HttpGet("exercises/{id:int}/discussion")]
    public async Task<IActionResult> Show(int id, CancellationToken ct) => await ThreadAsync(id, null, ct);

    [HttpPost("exercises/{id:int}/discussion")]
    public async Task<IActionResult> Post(int id, string? body, CancellationToken ct)
    {
        var user = User.Current();
        if (!await discussion.MayReadAsync(id, user, ct))
            return NotFound();
        return await ThreadAsync(id, await discussion.PostAsync(id, user, body, ct), ct);
    }

    [HttpPost("posts/{id:int}/react")]
    public async Task<IActionResult> React(int id, string reaction, CancellationToken ct) =>
        await discussion.ReactAsync(id, User.Current(), reaction, ct) is { } exerciseId ? await ThreadAsync(exerciseId, null, ct) : NotFound();

    [HttpPost("posts/{id:int}/pin")]
    public async Task<IActionResult> Pin(int id, CancellationToken ct) =>
        await discussion.TogglePinAsync(id, User.Current(), ct) is { } exerciseId ? await ThreadAsync(exerciseId, null, ct) : NotFound();

    private async Task<IActionResult> ThreadAsync(int exerciseId, string? error, CancellationToken ct)
    {
        if (await discussion.LoadAsync(exerciseId, User.Current(), ct, error) is not { } model)
            return NotFound();
        Response.Headers.Vary = "HX-Request";
        return Request.Headers.ContainsKey("HX-Request") ? PartialView("_Discussion", model) : View("DiscussionPage", model);
    }
}
