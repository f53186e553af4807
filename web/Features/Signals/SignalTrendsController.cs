using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Trends;
using CallReview.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Signals;

/// <summary>The trends page's signals section (an htmx fragment with the page's filters; without htmx, the trends page).</summary>
[Route("trends/signals"), Authorize(Policy = Policies.SeeTrends)]
public sealed class SignalTrendsController(SignalTrends.Handler trends) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(TrendFilter filter, CancellationToken ct) =>
        await trends.LoadAsync(filter, User.Current(), ct) is { } model
            ? this.PageOrFragment(() => Redirect(model.Query.Url("/trends")), "_SignalTrends", model)
            : NotFound();
}
