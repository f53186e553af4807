using CallReview.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Calibration;

[Route("calibration"), Authorize(Policy = Policies.Review)]
public sealed class CalibrationController(CalibrationSessions.Handler sessions) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View("Calibration", await sessions.LoadAsync(User.Current(), null, null, ct));

    [HttpPost(""), Authorize(Policy = Policies.Supervise)]
    public async Task<IActionResult> Create(CalibrationSessions.Form form, CancellationToken ct)
    {
        var (id, error) = await sessions.CreateAsync(form, User.Current(), ct);
        if (error is not null)
            return View("Calibration", await sessions.LoadAsync(User.Current(), form, error, ct));
        TempData["Flash"] = "Calibration session sent to the reviewers.";
        return Redirect($"/calibration/{id}/results");
    }

    /// <summary>A participant's blind workspace for the session.</summary>
    [HttpGet("{sessionId:int}")]
    public async Task<IActionResult> Work(int sessionId, [FromServices] CalibrationWork.Handler work, CancellationToken ct) =>
        await work.LoadAsync(sessionId, User.Current(), ct) is { } model ? View("CalibrationWork", model) : NotFound();

    [HttpPost("{sessionId:int}/submit")]
    public async Task<IActionResult> Submit(int sessionId, [FromServices] CalibrationWork.Handler work, CancellationToken ct)
    {
        if (!await work.SubmitAsync(sessionId, User.Current(), ct))
            return NotFound();
        TempData["Flash"] = "Submitted. The comparison opens when every reviewer has submitted.";
        return Redirect($"/calibration/{sessionId}/results");
    }

    [HttpGet("{sessionId:int}/results")]
    public async Task<IActionResult> Results(int sessionId, [FromServices] CalibrationResults.Handler results, CancellationToken ct) =>
        await results.LoadAsync(sessionId, User.Current(), ct) is { } model ? View("CalibrationResults", model) : NotFound();
}
