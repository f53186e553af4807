using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Review;

/// <summary>The admin's side of reviewing: the need categories and the scorecard rubric.</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class ReviewAdminController : Controller
{
    [HttpGet("admin/names")]
    public async Task<IActionResult> ContentNames([FromServices] EditContentNames.Handler names, CancellationToken ct) =>
        View("ContentNames", await names.LoadAsync(ct));

    [HttpPost("admin/names")]
    public async Task<IActionResult> SaveContentNames(EditContentNames.Form form, [FromServices] EditContentNames.Handler names, CancellationToken ct) =>
        await this.Answer(await names.SaveAsync(form, ct),
            _ =>
            {
                this.Flash("The names were saved.");
                return (IActionResult)Redirect("/admin/names");
            },
            async () => View("ContentNames", await names.LoadAsync(ct)));

    [HttpGet("admin/categories")]
    public async Task<IActionResult> Categories([FromServices] NeedCategories.Handler categories, CancellationToken ct) =>
        View("Categories", new NeedCategories.Model(await categories.ListAsync(activeOnly: false, ct, asStored: true), new NeedCategories.Form()));

    /// <summary>Adds (no code) or renames/deactivates one category; htmx swaps the list.</summary>
    [HttpPost("admin/categories")]
    public async Task<IActionResult> SaveCategory(NeedCategories.Form form, [FromServices] NeedCategories.Handler categories, [FromServices] AuditLog audit,
        CancellationToken ct)
    {
        if (!ModelState.IsValid)
            return await CategoriesAsync(form);
        return await this.Answer(await categories.SaveAsync(form, ct),
            async code =>
            {
                await audit.RecordAsync(AuditActions.CategorySaved, "NeedCategory", code,
                    $"{(string.IsNullOrWhiteSpace(form.Code) ? "added" : "changed")} \"{form.Name.Trim()}\"{(form.IsActive ? "" : ", inactive")}", ct);
                return await CategoriesAsync(new NeedCategories.Form());
            },
            () => CategoriesAsync(form));

        async Task<IActionResult> CategoriesAsync(NeedCategories.Form shown) =>
            this.PageOrFragment("Categories", new NeedCategories.Model(await categories.ListAsync(activeOnly: false, ct, asStored: true), shown), "_Categories");
    }

    [HttpGet("admin/rubric")]
    public async Task<IActionResult> Rubric([FromServices] EditRubric.Handler rubric, CancellationToken ct) =>
        View("Rubric", await rubric.LoadAsync(ct));

    [HttpPost("admin/rubric")]
    public async Task<IActionResult> PublishRubric(EditRubric.Form form, [FromServices] EditRubric.Handler rubric, CancellationToken ct)
    {
        if (!ModelState.IsValid)
            return View("Rubric", await rubric.LoadAsync(ct, form));
        return await this.Answer(await rubric.PublishAsync(form, User.Current().Id, ct),
            version =>
            {
                this.Flash(new Message("Published rubric version {0}; scorecards already saved keep their version.", version));
                return Redirect("/admin/rubric");
            },
            async () => View("Rubric", await rubric.LoadAsync(ct, form)));
    }
}
