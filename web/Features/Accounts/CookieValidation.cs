using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CallReview.Web.Features.Accounts;

/// <summary>
/// Rejects a cookie whose user was deactivated or changed (roles, teams, password): the security stamp in
/// the cookie must still match the database. One indexed lookup per request is cheap next to stale rights.
/// </summary>
public static class CookieValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var current = context.Principal is null ? null : CurrentUser.From(context.Principal);
        var stamp = context.Principal?.FindFirst(CurrentUser.StampClaim)?.Value;
        if (current is null || stamp is null)
        {
            await RejectAsync(context);
            return;
        }
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountStore>();
        var user = await accounts.FindByIdAsync(current.Id, context.HttpContext.RequestAborted);
        if (user is null || !user.IsActive || user.SecurityStamp != stamp)
            await RejectAsync(context);
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
