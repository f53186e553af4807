using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
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
        if (!ModelState.IsValid)
            return await TeamsAsync(form);
        return await this.Answer(await handler.CreateAsync(form, ct), _ => TeamsAsync(new TeamList.Form()), () => TeamsAsync(form));

        async Task<IActionResult> TeamsAsync(TeamList.Form shown) =>
            this.PageOrFragment("Teams", new TeamList.Model(await handler.ListAsync(ct), shown), "_Teams");
    }
}
