using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CallReview.Web.Features.Practice;

/// <summary>
/// The learner's practice: today's queue, an exercise's player, submitting, the scored result, the leaderboard.
/// Every exercise URL answers 404 unless the exercise is published to one of the learner's teams, and nothing
/// before a submission carries the answer.
/// </summary>
[Route("practice"), Authorize(Policy = Policies.Learn)]
public sealed class PracticeController(LearnerExercises.Handler exercises) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index([FromServices] TodayQueue.Handler today, string? language, CancellationToken ct) =>
        View("Practice", await today.LoadAsync(User.Current(), ct, language));

    [HttpGet("exercises/{id:int}")]
    public async Task<IActionResult> Exercise(int id, [FromServices] ExercisePlayer.Handler player, CancellationToken ct) =>
        await player.LoadAsync(id, User.Current(), ct) is { } model ? View("Exercise", model) : NotFound();

    [HttpPost("exercises/{id:int}")]
    public async Task<IActionResult> Submit(int id, SubmitAttempt.Form form, [FromServices] SubmitAttempt.Handler submit,
        [FromServices] ExercisePlayer.Handler player, CancellationToken ct)
    {
        var user = User.Current();
        if (await exercises.FindAsync(id, user, ct) is not { } exercise)
            return NotFound();
        return await this.Answer(await submit.SubmitAsync(exercise, user, form, ct),
            submitted =>
            {
                if (submitted.Earned.Count > 0)
                    this.Flash(new Message("New: {0}", string.Join(", ", submitted.Earned)));
                return Redirect($"/practice/attempts/{submitted.AttemptId}");
            },
            async () => await player.LoadAsync(id, user, ct) is { } model ? View("Exercise", model with { Unsaved = form }) : NotFound());
    }

    [HttpGet("exercises/{id:int}/audio")]
    public async Task<IActionResult> Audio(int id, string side, [FromServices] ExerciseMedia.Handler media, CancellationToken ct) =>
        await exercises.FindAsync(id, User.Current(), ct) is { } exercise && await media.AudioAsync(exercise, side, ct) is { } file
            ? PhysicalFile(file.Path, file.ContentType, enableRangeProcessing: true)
            : NotFound();

    [HttpGet("exercises/{id:int}/peaks")]
    public async Task<IActionResult> Peaks(int id, string side, [FromServices] ExerciseMedia.Handler media, CancellationToken ct) =>
        await exercises.FindAsync(id, User.Current(), ct) is { } exercise && await media.PeaksAsync(exercise, side, ct) is { } file
            ? PhysicalFile(file.Path, file.ContentType)
            : NotFound();

    [HttpGet("attempts/{id:int}")]
    public async Task<IActionResult> Attempt(int id, [FromServices] AttemptResult.Handler results, [FromServices] Discussion.Handler discussion, CancellationToken ct)
    {
        if (await results.LoadAsync(id, User.Current(), ct) is not { } model)
            return NotFound();
        ViewData["Discussion"] = await discussion.LoadAsync(model.Exercise.Id, User.Current(), ct);
        return View("AttemptResult", model);
    }

    [HttpGet("leaderboard")]
    public async Task<IActionResult> Leaderboard([FromServices] Profile.Handler profile, CancellationToken ct) =>
        View("Leaderboard", await profile.LeaderboardAsync(User.Current(), ct));

    [HttpPost("preferences")]
    public async Task<IActionResult> Preferences(bool hideFromLeaderboard, [FromServices] Profile.Handler profile, CancellationToken ct)
    {
        await profile.SetHiddenAsync(User.Current().Id, hideFromLeaderboard, ct);
        this.Flash(hideFromLeaderboard ? "Your name is hidden on the leaderboard." : "Your name is shown on the leaderboard.");
        return Redirect("/practice/leaderboard");
    }
}
