using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Requests;

/// <summary>Customers' access and erasure requests: find, export, erase (admins only).</summary>
[Route("admin/requests"), Authorize(Policy = Policies.Administer)]
public sealed class RequestsController(CustomerRequest.Handler requests) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CustomerRequest.Query query, CancellationToken ct) =>
        View("Requests", await requests.FindAsync(query, ct));

    [HttpGet("export.zip")]
    public async Task<IActionResult> Export(CustomerRequest.Query query, CancellationToken ct) =>
        await requests.ExportAsync(query, ct) is { } zip ? File(zip, "application/zip", "customer-data.zip") : NotFound();

    [HttpPost("erase")]
    public async Task<IActionResult> Erase(CustomerRequest.Query query, CancellationToken ct)
    {
        if (!ModelState.IsValid || query.IsEmpty)
            return View("Requests", await requests.FindAsync(query, ct));
        return await this.Answer(await requests.EraseAsync(query, ct),
            IActionResult (erased) =>
            {
                this.Flash(new Message("Erased {0}: {1}, {2}, {3} and {4}.", new Message("{0} calls", erased.Calls),
                    new Message("{0} files", erased.Files), new Message("{0} transcript turns", erased.Turns), new Message("{0} quotes", erased.Quotes), new Message("{0} notes", erased.Notes)));
                return Redirect("/admin/requests" + QueryString.Create(new Dictionary<string, string?> { ["Reference"] = query.Reference, ["Phone"] = query.Phone }));
            },
            async () => View("Requests", await requests.FindAsync(query, ct)));
    }
}
