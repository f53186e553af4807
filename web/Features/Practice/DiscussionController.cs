using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Practice;

/// <summary>
/// An exercise's discussion, its own thread and one per call moment (answerId): learners after submitting, reviewers
/// and supervisors of the teams it is published to. htmx requests get back the one thread they acted on.
/// </summary>
[Route("practice"), Authorize]
public sealed class DiscussionController(Discussion.Handler discussion, DiscussionAccess access) : Controller
{
    [HttpGet("exercises/{id:int}/discussion")]
    public async Task<IActionResult> Show(int id, int? answerId, CancellationToken ct) =>
        await access.MayReadAsync(id, answerId, User.Current(), ct) ? await ThreadAsync(id, answerId, ct) : NotFound();

    [HttpPost("exercises/{id:int}/discussion")]
    public async Task<IActionResult> Post(int id, int? answerId, string? body, CancellationToken ct)
    {
        var user = User.Current();
        if (!await access.MayReadAsync(id, answerId, user, ct))
            return NotFound();
        return await this.Answer(await discussion.PostAsync(id, answerId, user, body, ct),
            _ => ThreadAsync(id, answerId, ct),
            () => ThreadAsync(id, answerId, ct));
    }

    [HttpPost("posts/{id:int}/react")]
    public async Task<IActionResult> React(int id, string reaction, CancellationToken ct) =>
        await this.Answer(await discussion.ReactAsync(id, User.Current(), reaction, ct), thread => ThreadAsync(thread.ExerciseId, thread.AnswerId, ct));

    [HttpPost("posts/{id:int}/pin")]
    public async Task<IActionResult> Pin(int id, CancellationToken ct) =>
        await this.Answer(await discussion.TogglePinAsync(id, User.Current(), ct), thread => ThreadAsync(thread.ExerciseId, thread.AnswerId, ct));

    /// <summary>The thread acted on (a refused post's error is in ModelState and shows in it).</summary>
    private async Task<IActionResult> ThreadAsync(int exerciseId, int? answerId, CancellationToken ct)
    {
        if (await discussion.LoadAsync(exerciseId, User.Current(), ct) is not { } model)
            return NotFound();
        model = model with { PostedTo = answerId };
        return answerId is null
            ? this.PageOrFragment("DiscussionPage", model, "_Discussion")
            : this.PageOrFragment("DiscussionPage", model, "_MomentThread", model.ThreadOf(answerId));
    }
}
