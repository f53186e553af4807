using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Exercises;

/// <summary>The exercise builder, for reviewers and supervisors; assignments and certifications for supervisors.</summary>
[Route("exercises"), Authorize(Policy = Policies.Review)]
public sealed class ExercisesController : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index([FromServices] ExerciseList.Handler list, CancellationToken ct) =>
        View("Exercises", await list.LoadAsync(User.Current(), ct));

    [HttpGet("new")]
    public async Task<IActionResult> New(int callId, string? kind, int? secondCallId, [FromServices] EditExercise.Handler edit, CancellationToken ct) =>
        await edit.NewAsync(callId, kind, secondCallId, User.Current(), ct) is { } model ? View("ExerciseEdit", model) : NotFound();

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Edit(int id, [FromServices] EditExercise.Handler edit, CancellationToken ct) =>
        await edit.EditAsync(id, User.Current(), ct) is { } model ? View("ExerciseEdit", model) : NotFound();

    [HttpPost("save"), ShowsLimitsOnItsForm]
    public async Task<IActionResult> Save(EditExercise.Form form, [FromServices] EditExercise.Handler edit, CancellationToken ct)
    {
        async Task<IActionResult> ShowAgain() => await edit.FormAsync(form, User.Current(), ct) is { } model ? View("ExerciseEdit", model) : NotFound();
        if (!ModelState.IsValid)
            return await ShowAgain();
        return await this.Answer(await edit.SaveAsync(form, User.Current(), ct),
            id =>
            {
                this.Flash(form.Publish ? "Exercise saved and published." : "Exercise saved as a draft.");
                return Redirect($"/exercises/{id}");
            },
            ShowAgain);
    }

    [HttpPost("{id:int}/assign"), Authorize(Policy = Policies.Supervise)]
    public async Task<IActionResult> Assign(int id, AssignExercise.Form form, [FromServices] AssignExercise.Handler assign,
        [FromServices] ExerciseAccess exercises, [FromServices] EditExercise.Handler edit, CancellationToken ct)
    {
        if (await exercises.FindAsync(id, User.Current(), ct) is null)
            return NotFound();
        return await this.Answer(await assign.AssignAsync(id, form, User.Current(), ct),
            _ =>
            {
                this.Flash("Assigned.");
                return Redirect($"/exercises/{id}");
            },
            async () => await edit.EditAsync(id, User.Current(), ct) is { } model ? View("ExerciseEdit", model) : NotFound());
    }

    [HttpPost("certifications"), Authorize(Policy = Policies.Supervise)]
    public async Task<IActionResult> Certify(Certifications.Form form, [FromServices] Certifications.Handler certifications,
        [FromServices] ExerciseList.Handler list, CancellationToken ct)
    {
        return await this.Answer(await certifications.CreateAsync(form, User.Current(), ct),
            _ =>
            {
                this.Flash("Certification created.");
                return Redirect("/exercises");
            },
            async () => View("Exercises", await list.LoadAsync(User.Current(), ct)));
    }
}
