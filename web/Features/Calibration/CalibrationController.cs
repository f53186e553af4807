using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Calibration;

[Route("calibration"), Authorize(Policy = Policies.Review)]
public sealed class CalibrationController(CalibrationSessions.Handler sessions) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View("Calibration", await sessions.LoadAsync(User.Current(), null, ct));

    [HttpPost(""), Authorize(Policy = Policies.Supervise)]
    public async Task<IActionResult> Create(CalibrationSessions.Form form, CancellationToken ct)
    {
        return await this.Answer(await sessions.CreateAsync(form, User.Current(), ct),
            id =>
            {
                this.Flash("Calibration session sent to the reviewers.");
                return Redirect($"/calibration/{id}/results");
            },
            async () => View("Calibration", await sessions.LoadAsync(User.Current(), form, ct)));
    }

    /// <summary>A participant's blind workspace for the session.</summary>
    [HttpGet("{sessionId:int}")]
    public async Task<IActionResult> Work(int sessionId, [FromServices] CalibrationWork.Handler work, CancellationToken ct) =>
        await work.LoadAsync(sessionId, User.Current(), ct) is { } model ? View("CalibrationWork", model) : NotFound();

    [HttpPost("{sessionId:int}/submit")]
    public async Task<IActionResult> Submit(int sessionId, [FromServices] CalibrationWork.Handler work, CancellationToken ct)
    {
        return this.Answer(await work.SubmitAsync(sessionId, User.Current(), ct),
            _ =>
            {
                this.Flash("Submitted. The comparison opens when every reviewer has submitted.");
                return Redirect($"/calibration/{sessionId}/results");
            });
    }

    [HttpGet("{sessionId:int}/results")]
    public async Task<IActionResult> Results(int sessionId, [FromServices] CalibrationResults.Handler results, CancellationToken ct) =>
        await results.LoadAsync(sessionId, User.Current(), ct) is { } model ? View("CalibrationResults", model) : NotFound();
}
