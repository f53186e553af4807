using CallReview.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Trends;

/// <summary>
/// Supervisors' trends (their teams; admins all). The evidence behind a number and an agent's performance
/// review are open to any signed-in user, scoped in <see cref="TrendScope"/>: agents see only themselves.
/// </summary>
[Route("trends")]
public sealed class TrendsController : Controller
{
    [HttpGet(""), Authorize(Policy = Policies.SeeTrends)]
    public async Task<IActionResult> Index(TrendFilter filter, [FromServices] Dashboard.Handler dashboard, CancellationToken ct) =>
        await dashboard.LoadAsync(filter, User.Current(), ct) is { } model ? View("Trends", model) : NotFound();

    [HttpGet("evidence")]
    public async Task<IActionResult> Evidence(TrendFilter filter, string? metric, DateOnly? period, [FromServices] Evidence.Handler evidence, CancellationToken ct) =>
        await evidence.LoadAsync(filter, metric, period, User.Current(), ct) is { } model ? View("Evidence", model) : NotFound();
}
