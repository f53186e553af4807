using CallReview.Web.Features.Accounts;
using CallReview.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Review;

/// <summary>The admin's side of reviewing: the need categories and the scorecard rubric.</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class ReviewAdminController : Controller
{
    [HttpGet("admin/categories")]
    public async Task<IActionResult> Categories([FromServices] NeedCategories.Handler categories, CancellationToken ct) =>
        View("Categories", new NeedCategories.Model(await categories.ListAsync(activeOnly: false, ct), new NeedCategories.Form()));

    /// <summary>Adds (no code) or renames/deactivates one category; htmx swaps the list.</summary>
    [HttpPost("admin/categories")]
    public async Task<IActionResult> SaveCategory(NeedCategories.Form form, [FromServices] NeedCategories.Handler categories, CancellationToken ct)
    {
        if (ModelState.IsValid && await categories.SaveAsync(form, ct) is { } error)
            ModelState.AddModelError(nameof(form.Name), error);
        var model = new NeedCategories.Model(await categories.ListAsync(activeOnly: false, ct), ModelState.IsValid ? new NeedCategories.Form() : form);
        return this.PageOrFragment("Categories", model, "_Categories");
    }

    [HttpGet("admin/rubric")]
    public async Task<IActionResult> Rubric([FromServices] EditRubric.Handler rubric, CancellationToken ct) =>
        View("Rubric", await rubric.LoadAsync(ct));

    [HttpPost("admin/rubric")]
    public async Task<IActionResult> PublishRubric(EditRubric.Form form, [FromServices] EditRubric.Handler rubric, CancellationToken ct)
    {
        if (!ModelState.IsValid)
            return View("Rubric", await rubric.LoadAsync(ct, form, "Check the highlighted values (points 1–10, weight 0.1–100)."));
        var (version, error) = await rubric.PublishAsync(form, User.Current().Id, ct);
        if (error is not null)
            return View("Rubric", await rubric.LoadAsync(ct, form, error));
        TempData["Flash"] = $"Published rubric version {version}; scorecards already saved keep their version.";
        return Redirect("/admin/rubric");
    }
}
