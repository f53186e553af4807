using System.Globalization;
using System.Security.Claims;

namespace CallReview.Web.Features.Accounts;

/// <summary>The signed-in user as the cookie carries it: id, name, roles and teams.</summary>
public sealed record CurrentUser(int Id, string Email, string DisplayName, IReadOnlySet<string> Roles, IReadOnlySet<int> TeamIds)
{
    public const string TeamClaim = "team";
    public const string StampClaim = "stamp";
    public const string SessionClaim = "session";

    public bool IsIn(string role) => Roles.Contains(role);

    public static CurrentUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true ||
            !int.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var id))
            return null;
        return new CurrentUser(
            id,
            principal.FindFirstValue(ClaimTypes.Email) ?? "",
            principal.FindFirstValue(ClaimTypes.Name) ?? "",
            principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(),
            principal.FindAll(TeamClaim).Select(c => int.Parse(c.Value, CultureInfo.InvariantCulture)).ToHashSet());
    }

    /// <summary>The principal a cookie (with its server-side session) or an API key carries.</summary>
    public static ClaimsPrincipal ToPrincipal(UserAccount user, IEnumerable<string> roles, IEnumerable<int> teamIds, string scheme, string? sessionId = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Email, user.Email),
            new(ClaimTypes.Name, user.DisplayName),
            new(StampClaim, user.SecurityStamp),
        };
        if (sessionId is not null)
            claims.Add(new Claim(SessionClaim, sessionId));
        if (user.Language is { Length: > 0 } language)
            claims.Add(new Claim(Shared.Languages.Claim, language));
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange(teamIds.Select(t => new Claim(TeamClaim, t.ToString(CultureInfo.InvariantCulture))));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}

public static class CurrentUserExtensions
{
    /// <summary>The signed-in user; only call behind [Authorize].</summary>
    public static CurrentUser Current(this ClaimsPrincipal principal) =>
        CurrentUser.From(principal) ?? throw new InvalidOperationException("No signed-in user.");
}
