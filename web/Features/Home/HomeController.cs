using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Home;

/// <summary>The start page is the main page of the user's first role.</summary>
[Authorize]
public sealed class HomeController : Controller
{
    [HttpGet("/")]
    public IActionResult Index()
    {
        var user = User.Current();
        if (user.Allows(Policies.Review))
            return Redirect("/calls");
        if (user.Allows(Policies.Learn))
            return Redirect("/practice");
        if (user.Allows(Policies.Administer))
            return Redirect("/admin/users");
        return Redirect("/account/denied");
    }

    /// <summary>Unhandled errors land here: API callers get ProblemDetails, people get the error page.</summary>
    [Route("/error"), AllowAnonymous, IgnoreAntiforgeryToken]
    public IActionResult Error()
    {
        var failed = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>();
        if (failed is null)
            return NotFound();
        // A full or read-only data folder is the server's condition, not a bug: 503 and say so.
        var dataFolder = DataFolderFault.Describe(failed.Error) is { } fault
            ? new Message("{0}, so nothing was saved. Ask an administrator to free space or make it writable, then try again.", new Message(fault)) : null;
        var status = dataFolder is null ? StatusCodes.Status500InternalServerError : StatusCodes.Status503ServiceUnavailable;
        if (failed.Path.StartsWith("/api", StringComparison.OrdinalIgnoreCase))
            return Problem(title: dataFolder?.ToString() ?? "The server could not complete the request.", statusCode: status);
        if (dataFolder is not null)
            return this.Refuse(dataFolder, status);
        Response.StatusCode = status;
        return View("Error");
    }

    /// <summary>
    /// The page for an error status that has no body (404, 403, 405, 400…), re-executed here by the status-code pages:
    /// the app's layout and a way back. Any method, no token: it answers for whatever request failed.
    /// </summary>
    [Route("/status/{code:int}"), AllowAnonymous, IgnoreAntiforgeryToken]
    public IActionResult Status([FromRoute] int code)
    {
        var failed = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>();
        if (failed is null || code is < 400 or > 599)
            return NotFound();
        Response.StatusCode = code;
        return View("Status", code);
    }
}
