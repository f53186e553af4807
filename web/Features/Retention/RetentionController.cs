using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Retention;

/// <summary>Admins set each team's retention period, preview what it would do and confirm it.</summary>
[Route("admin/retention"), Authorize(Policy = Policies.Administer)]
public sealed class RetentionController(RetentionPolicies.Handler policies) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View("Retention", await policies.LoadAsync(ct));

    /// <summary>A period goes to its preview (it does not apply before it is confirmed there); none keeps calls forever.</summary>
    [HttpPost("{teamId:int}")]
    public async Task<IActionResult> Set(int teamId, RetentionPolicies.Form form, CancellationToken ct)
    {
        if (!ModelState.IsValid)
            return View("Retention", await policies.LoadAsync(ct));
        return await this.Answer(await policies.SetAsync(teamId, form, ct),
            team =>
            {
                if (form.Days is null)
                {
                    this.Flash(new Message("{0} keeps its calls forever.", team.Name));
                    return Redirect("/admin/retention");
                }
                return Redirect($"/admin/retention/{teamId}/preview");
            },
            async () => View("Retention", await policies.LoadAsync(ct)));
    }

    [HttpGet("{teamId:int}/preview")]
    public async Task<IActionResult> Preview(int teamId, CancellationToken ct) =>
        await policies.PreviewAsync(teamId, ct) is { } preview ? View("RetentionPreview", preview) : NotFound();

    [HttpPost("{teamId:int}/confirm")]
    public async Task<IActionResult> Confirm(int teamId, RetentionPolicies.ConfirmForm form, CancellationToken ct)
    {
        if (!ModelState.IsValid)
            return BadRequest();
        return await this.Answer(await policies.ConfirmAsync(teamId, form, ct),
            team =>
            {
                this.Flash(new Message("{1}: calls older than {0} days will lose their recording and have their transcript anonymised at the next retention run.", form.Days, team.Name));
                return Redirect("/admin/retention");
            },
            async () => await policies.PreviewAsync(teamId, ct) is { } preview ? View("RetentionPreview", preview) : NotFound());
    }
}
