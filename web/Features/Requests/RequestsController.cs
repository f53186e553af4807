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
                TempData["Flash"] = $"Erased {erased.Calls} {(erased.Calls == 1 ? "call" : "calls")}: {erased.Files} files, {erased.Turns} transcript turns, {erased.Quotes} quotes and {erased.Notes} notes.";
                return Redirect("/admin/requests" + QueryString.Create(new Dictionary<string, string?> { ["Reference"] = query.Reference, ["Phone"] = query.Phone }));
            },
            async () => View("Requests", await requests.FindAsync(query, ct)));
    }
}
