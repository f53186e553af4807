using Htmx;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Infrastructure;

/// <summary>
/// One URL answers a browser with the page and htmx with the fragment the page itself renders, so there is one
/// markup. The answer differs by the <c>HX-Request</c> header, so it says so (<c>Vary</c>) and no cache mixes them up.
/// </summary>
public static class HtmxViews
{
    /// <summary>The view <paramref name="page"/> for a browser, the partial <paramref name="fragment"/> (of the same model unless given) for htmx.</summary>
    public static IActionResult PageOrFragment(this Controller controller, string page, object model, string fragment, object? fragmentModel = null) =>
        controller.PageOrFragment(() => controller.View(page, model), fragment, fragmentModel ?? model);

    /// <summary>Whatever <paramref name="page"/> answers a browser with (a view, a redirect), the partial <paramref name="fragment"/> for htmx.</summary>
    public static IActionResult PageOrFragment(this Controller controller, Func<IActionResult> page, string fragment, object model)
    {
        controller.Response.Htmx(h => h.WithVary());
        return controller.Request.IsHtmx() ? controller.PartialView(fragment, model) : page();
    }
}
