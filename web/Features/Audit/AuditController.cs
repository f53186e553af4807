using CallReview.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Audit;

[Route("admin/audit"), Authorize(Policy = Policies.Administer)]
public sealed class AuditController(AuditSearch.Handler search) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(AuditSearch.Filter filter, CancellationToken ct) =>
        View("Audit", await search.LoadAsync(filter, ct));

    [HttpGet("export.csv")]
    public async Task<IActionResult> Export(AuditSearch.Filter filter, [FromServices] AuditLog audit, CancellationToken ct)
    {
        await audit.RecordAsync(AuditActions.Exported, "AuditEntry", null, Request.QueryString.Value, ct);
        var buffer = new MemoryStream();
        await search.WriteCsvAsync(filter, buffer, ct);
        return File(buffer.ToArray(), "text/csv", "audit.csv");
    }
}
