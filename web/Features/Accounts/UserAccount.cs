namespace CallReview.Web.Features.Accounts;

/// <summary>A row of UserAccount: the columns sign-in and the cookie need.</summary>
public sealed class UserAccount
{
    public int Id { get; init; }
    public string Email { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public string SecurityStamp { get; init; } = "";
    public bool IsActive { get; init; }
    public bool MustChangePassword { get; init; }
    public int FailedLoginCount { get; init; }
    public DateTimeOffset? LockoutEnd { get; init; }
    /// <summary>The interface language the user chose, or null for their browser's.</summary>
    public string? Language { get; init; }

    public const string Columns = "Id, Email, DisplayName, PasswordHash, SecurityStamp, IsActive, MustChangePassword, FailedLoginCount, LockoutEnd, Language";

    public static string NewSecurityStamp() => Guid.NewGuid().ToString("N");
}
