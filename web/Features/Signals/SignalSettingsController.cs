using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Signals;

/// <summary>Signal thresholds and phrase lists per team, the re-run that applies them to calls already transcribed, and each rule's quality.</summary>
[Route("admin/signals"), Authorize(Policy = Policies.Administer)]
public sealed class SignalSettingsController(SignalSettingsPage.Handler page) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(int? team, CancellationToken ct) =>
        await page.LoadAsync(team, null, ct) is { } model ? View("SignalSettings", model) : NotFound();

    [HttpPost(""), ShowsLimitsOnItsForm]
    public async Task<IActionResult> Save(SignalSettingsPage.Form form, CancellationToken ct)
    {
        if (!ModelState.IsValid)
            return await ShowAsync(form, ct);
        return await this.Answer(await page.SaveAsync(form, User.Current().Id, ct),
            teamId =>
            {
                this.Flash("Saved. Calls transcribed from now on use these settings; re-run to apply them to the team's earlier calls.");
                return Redirect($"/admin/signals?team={teamId}");
            },
            () => ShowAsync(form, ct));
    }

    /// <summary>Recomputes the signals of every transcribed call of the team with its current settings (decisions are kept).</summary>
    [HttpPost("rerun")]
    public async Task<IActionResult> Rerun(int team, [FromServices] ComputeSignals.Handler signals, CancellationToken ct)
    {
        if (await page.LoadAsync(team, null, ct) is null)
            return NotFound();
        var calls = await signals.RunForTeamAsync(team, ct);
        this.Flash(new Message("Signals computed again for {0} calls with the team's settings.", calls));
        return Redirect($"/admin/signals?team={team}");
    }

    private async Task<IActionResult> ShowAsync(SignalSettingsPage.Form form, CancellationToken ct) =>
        await page.LoadAsync(form.TeamId, form, ct) is { } model ? View("SignalSettings", model) : NotFound();
}
