using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Shared;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Accounts;

[Route("account")]
public sealed class AccountsController(AccountStore accounts, Sessions sessions, AuditLog audit, ILogger<AccountsController> logger) : Controller
{
    [HttpGet("login"), AllowAnonymous]
    public IActionResult Login(string? returnUrl) => View(new Login.Form { ReturnUrl = returnUrl });

    [HttpPost("login"), AllowAnonymous]
    public async Task<IActionResult> Login(Login.Form form, [FromServices] Login.Handler handler, [FromServices] SignInLimits limits, CancellationToken ct)
    {
        if (limits.TryAttempt(HttpContext.Connection.RemoteIpAddress?.ToString(), form.Email) is { } retryAfter)
        {
            logger.LogWarning("Sign-in attempt for {Email} refused by the rate limit", AccountStore.Normalize(form.Email));
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return View("TooManyAttempts", retryAfter);
        }
        if (!ModelState.IsValid)
            return View(form);
        var outcome = await handler.HandleAsync(form, ct);
        if (!outcome.IsDone)
            await audit.RecordAsync(audit.CurrentActor() with { Name = AccountStore.Normalize(form.Email) },
                AuditActions.SignInFailed, "UserAccount", null, outcome.Errors.GetValueOrDefault("")?.ToString(), ct);
        return await this.Answer(outcome,
            async user =>
            {
                await SignInAsync(user, ct);
                await audit.RecordAsync(audit.CurrentActor() with { UserId = user.Id, Name = user.Email },
                    AuditActions.SignIn, "UserAccount", user.Id, null, ct);
                logger.LogInformation("User {UserId} signed in", user.Id);
                if (user.MustChangePassword)
                    return RedirectToAction(nameof(ChangePassword));
                return LocalRedirect(Url.IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl : "/");
            },
            () => Task.FromResult<IActionResult>(View(form)));
    }

    [HttpPost("logout"), Authorize]
    public async Task<IActionResult> Logout(CancellationToken ct)
    {
        if (User.FindFirst(CurrentUser.SessionClaim)?.Value is { } session)
            await sessions.EndAsync(User.Current().Id, session, ct);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return RedirectToAction(nameof(Login));
    }

    [HttpGet("denied"), AllowAnonymous]
    public IActionResult AccessDenied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }

    [HttpGet(""), Authorize]
    public async Task<IActionResult> Account(CancellationToken ct) =>
        View(new ChooseLanguage.Form { Language = (await accounts.FindByIdAsync(User.Current().Id, ct))?.Language });

    [HttpPost("language"), Authorize]
    public async Task<IActionResult> Language(ChooseLanguage.Form form, [FromServices] ChooseLanguage.Handler handler, CancellationToken ct) =>
        await this.Answer(await handler.HandleAsync(User.Current().Id, form, ct),
            async account =>
            {
                // The language travels in the cookie: issue it again, in the same session.
                var (roles, teamIds) = await accounts.MembershipsAsync(account.Id, ct);
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, CurrentUser.ToPrincipal(account, roles, teamIds,
                    CookieAuthenticationDefaults.AuthenticationScheme, User.FindFirst(CurrentUser.SessionClaim)?.Value));
                this.Flash("Your language was saved.");
                return (IActionResult)RedirectToAction(nameof(Account));
            },
            () => Task.FromResult<IActionResult>(View(nameof(Account), form)));

    [HttpGet("password"), Authorize]
    public IActionResult ChangePassword() => View(new ChangePassword.Form());

    [HttpPost("password"), Authorize]
    public async Task<IActionResult> ChangePassword(ChangePassword.Form form, [FromServices] ChangePassword.Handler handler, CancellationToken ct)
    {
        if (!ModelState.IsValid)
            return View(form);
        return await this.Answer(await handler.HandleAsync(User.Current().Id, form, ct),
            async account =>
            {
                // The new password rotated the security stamp; sign in again so this browser stays signed in.
                await SignInAsync(account, ct);
                this.Flash("Your password was changed.");
                return LocalRedirect("/");
            },
            () => Task.FromResult<IActionResult>(View(form)));
    }

    private async Task SignInAsync(UserAccount user, CancellationToken ct)
    {
        var (roles, teamIds) = await accounts.MembershipsAsync(user.Id, ct);
        var session = await sessions.StartAsync(user.Id, ct);
        var principal = CurrentUser.ToPrincipal(user, roles, teamIds, CookieAuthenticationDefaults.AuthenticationScheme, session);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
    }
}
