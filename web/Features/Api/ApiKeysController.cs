using System.ComponentModel.DataAnnotations;
using CallReview.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Api;

/// <summary>Admins create and revoke API keys; a new key is shown once.</summary>
[Route("admin/apikeys"), Authorize(Policy = Policies.Administer)]
public sealed class ApiKeysController(ApiKeyStore keys, AccountStore accounts) : Controller
{
    public sealed class Form
    {
        [Required, EmailAddress, Display(Name = "User email")]
        public string UserEmail { get; set; } = "";

        [Required, FitsColumn("ApiKey", "Name")]
        public string Name { get; set; } = "";
    }

    public sealed record Model(IReadOnlyList<ApiKeyStore.Row> Keys, Form Form, string? NewKey);

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View("ApiKeys", new Model(await keys.ListAsync(ct), new Form(), null));

    [HttpPost("")]
    public async Task<IActionResult> Create(Form form, CancellationToken ct)
    {
        string? newKey = null;
        if (ModelState.IsValid)
        {
            if (await accounts.FindByEmailAsync(form.UserEmail, ct) is { IsActive: true } user)
                newKey = await keys.CreateAsync(user.Id, form.Name.Trim(), ct);
            else
                ModelState.AddModelError(nameof(form.UserEmail), "No active user has this email.");
        }
        return View("ApiKeys", new Model(await keys.ListAsync(ct), newKey is null ? form : new Form(), newKey));
    }

    [HttpPost("{id:int}/revoke")]
    public async Task<IActionResult> Revoke(int id, CancellationToken ct)
    {
        await keys.RevokeAsync(id, ct);
        return RedirectToAction(nameof(Index));
    }
}
