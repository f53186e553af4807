using System.Text.Encodings.Web;
using CallReview.Web.Features.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Options;

namespace CallReview.Web.Features.Api;

/// <summary>Authenticates <c>X-Api-Key</c> as the user the key belongs to, with that user's roles and teams.</summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyStore keys, AccountStore accounts) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    /// <summary>API endpoints accept a key or the browser's cookie.</summary>
    public const string KeyOrCookie = SchemeName + "," + CookieAuthenticationDefaults.AuthenticationScheme;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || values.ToString() is not { Length: > 0 } key)
            return AuthenticateResult.NoResult();
        var owner = await keys.FindActiveAsync(key, Context.RequestAborted);
        var user = owner is null ? null : await accounts.FindByIdAsync(owner.UserId, Context.RequestAborted);
        if (user is null)
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        var (roles, teamIds) = await accounts.MembershipsAsync(user.Id, Context.RequestAborted);
        return AuthenticateResult.Success(new AuthenticationTicket(CurrentUser.ToPrincipal(user, roles, teamIds, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }
}

/// <summary>
/// Antiforgery for API endpoints: a request authenticated by an API key cannot be forged by another site
/// (browsers cannot add that header cross-origin), so only cookie-authenticated changes must send the token header.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class ApiAntiforgeryAttribute : Attribute, IAsyncAuthorizationFilter, IAntiforgeryPolicy, IOrderedFilter
{
    /// <summary>Same order as the global AutoValidateAntiforgeryToken (1000), so this narrower policy is the effective one.</summary>
    public int Order => 1000;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        if (!context.IsEffectivePolicy<IAntiforgeryPolicy>(this))
            return;
        var request = context.HttpContext.Request;
        // Only a key that really authenticated the request waives the token: a bad key beside a cookie does not.
        var byKey = context.HttpContext.User.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == ApiKeyAuthentication.SchemeName);
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || byKey)
            return;
        var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
        if (!await antiforgery.IsRequestValidAsync(context.HttpContext))
            context.Result = new ObjectResult(new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Missing or invalid antiforgery token.",
                Detail = $"Send the {ApiKeyAuthentication.Header} header, or the page's antiforgery token in the RequestVerificationToken header.",
            }) { StatusCode = StatusCodes.Status400BadRequest };
    }
}
