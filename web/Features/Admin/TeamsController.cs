using CallReview.Web.Features.Accounts;
using CallReview.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Admin;

[Route("admin/teams"), Authorize(Policy = Policies.Administer)]
public sealed class TeamsController(TeamList.Handler handler) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View("Teams", new TeamList.Model(await handler.ListAsync(ct), new TeamList.Form()));

    /// <summary>htmx posts here and swaps the teams panel; a plain form post gets the whole page.</summary>
    [HttpPost("")]
    public async Task<IActionResult> Create(TeamList.Form form, CancellationToken ct)
    {
        if (ModelState.IsValid && await handler.CreateAsync(form, ct) is { } error)
            ModelState.AddModelError(nameof(form.Name), error);
        var model = new TeamList.Model(await handler.ListAsync(ct), ModelState.IsValid ? new TeamList.Form() : form);
        return this.PageOrFragment("Teams", model, "_Teams");
    }
}
