using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Audit;
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

    [HttpGet("export.csv"), Authorize(Policy = Policies.SeeTrends)]
    public async Task<IActionResult> Export(TrendFilter filter, [FromServices] Dashboard.Handler dashboard, [FromServices] AuditLog audit, CancellationToken ct)
    {
        if (await dashboard.LoadAsync(filter, User.Current(), ct) is not { } model)
            return NotFound();
        await audit.RecordAsync(AuditActions.Exported, "Trends", null, Request.QueryString.Value, ct);
        var buffer = new MemoryStream();
        TrendsExport.WritePoints(buffer, model);
        return File(buffer.ToArray(), "text/csv", $"trends-{model.Query.From:yyyyMMdd}-{model.Query.To:yyyyMMdd}.csv");
    }

    [HttpGet("annotations.csv"), Authorize(Policy = Policies.SeeTrends)]
    public async Task<IActionResult> Annotations(TrendFilter filter, [FromServices] TrendsExport.Handler export, [FromServices] AuditLog audit, CancellationToken ct)
    {
        await audit.RecordAsync(AuditActions.Exported, "Annotations", null, Request.QueryString.Value, ct);
        var written = await export.WriteAnnotationsAsync(filter, User.Current(), Response.Body, () =>
        {
            Response.ContentType = "text/csv";
            Response.Headers.ContentDisposition = "attachment; filename=annotations.csv";
        }, ct);
        return written ? new EmptyResult() : NotFound();
    }

    [HttpGet("evidence")]
    public async Task<IActionResult> Evidence(TrendFilter filter, string? metric, DateOnly? period, [FromServices] Evidence.Handler evidence, CancellationToken ct) =>
        await evidence.LoadAsync(filter, metric, period, User.Current(), ct) is { } model ? View("Evidence", model) : NotFound();

    [HttpGet("agents/{id:int}")]
    public async Task<IActionResult> Agent(int id, TrendFilter filter, [FromServices] AgentReview.Handler review, CancellationToken ct) =>
        await review.LoadAsync(id, filter, User.Current(), ct) is { } model ? View("AgentReview", model) : NotFound();

    /// <summary>An agent's own performance review.</summary>
    [HttpGet("me")]
    public IActionResult Me() => Redirect($"/trends/agents/{User.Current().Id}");
}
