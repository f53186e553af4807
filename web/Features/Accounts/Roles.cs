namespace CallReview.Web.Features.Accounts;

/// <summary>The four roles. A user may hold several; an agent is a learner whose calls are reviewed.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Supervisor = "supervisor";
    public const string Reviewer = "reviewer";
    public const string Learner = "learner";

    public static readonly IReadOnlyList<string> All = [Admin, Supervisor, Reviewer, Learner];

    public static bool IsKnown(string role) => All.Contains(role);

    /// <summary>
    /// SQL: the user whose id is in <paramref name="userIdColumn"/> holds one of <paramref name="roles"/>. The one place
    /// a role is written into SQL; which roles a use needs is its access class's decision.
    /// </summary>
    public static string HeldBy(string userIdColumn, params string[] roles) =>
        $"EXISTS (SELECT 1 FROM UserRole ur WHERE ur.UserId = {userIdColumn} AND ur.Role IN ({string.Join(", ", roles.Where(IsKnown).Select(r => $"'{r}'"))}))";
}

/// <summary>
/// Authorization policies by what a user may do; controllers name a policy, never a role list, and pages and
/// access classes ask <see cref="Allows"/> the same table (a menu shows what its route lets in).
/// </summary>
public static class Policies
{
    public const string Administer = nameof(Administer);
    public const string ManageCalls = nameof(ManageCalls);
    public const string Review = nameof(Review);
    public const string Supervise = nameof(Supervise);
    public const string Learn = nameof(Learn);
    public const string SeeTrends = nameof(SeeTrends);

    private static readonly IReadOnlyDictionary<string, string[]> RolesOf = new Dictionary<string, string[]>
    {
        [Administer] = [Roles.Admin],
        [ManageCalls] = [Roles.Admin, Roles.Supervisor, Roles.Reviewer],
        [Review] = [Roles.Supervisor, Roles.Reviewer],
        [Supervise] = [Roles.Supervisor],
        [Learn] = [Roles.Learner],
        [SeeTrends] = [Roles.Supervisor, Roles.Admin],
    };

    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        foreach (var (policy, roles) in RolesOf)
            options.AddPolicy(policy, p => p.RequireRole(roles));
    }

    /// <summary>Does the policy let this user in?</summary>
    public static bool Allows(this CurrentUser user, string policy) => RolesOf[policy].Any(user.IsIn);
}
