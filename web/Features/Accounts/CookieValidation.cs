using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CallReview.Web.Features.Accounts;

/// <summary>
/// Rejects a cookie whose session has ended or whose user was deactivated or changed (roles, teams,
/// password): one indexed lookup per request checks the session and the security stamp together.
/// </summary>
public static class CookieValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var current = context.Principal is null ? null : CurrentUser.From(context.Principal);
        var stamp = context.Principal?.FindFirst(CurrentUser.StampClaim)?.Value;
        var session = context.Principal?.FindFirst(CurrentUser.SessionClaim)?.Value;
        var sessions = context.HttpContext.RequestServices.GetRequiredService<Sessions>();
        if (current is null || stamp is null || session is null ||
            !await sessions.IsOpenAsync(current.Id, session, stamp, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
