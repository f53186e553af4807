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
}

/// <summary>Authorization policies by what a user may do; controllers name a policy, never a role list.</summary>
public static class Policies
{
    public const string Administer = nameof(Administer);
    public const string ManageCalls = nameof(ManageCalls);
    public const string Review = nameof(Review);
    public const string Supervise = nameof(Supervise);
    public const string Learn = nameof(Learn);
    public const string SeeTrends = nameof(SeeTrends);

    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        options.AddPolicy(Administer, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(ManageCalls, p => p.RequireRole(Roles.Admin, Roles.Supervisor, Roles.Reviewer));
        options.AddPolicy(Review, p => p.RequireRole(Roles.Supervisor, Roles.Reviewer));
        options.AddPolicy(Supervise, p => p.RequireRole(Roles.Supervisor));
        options.AddPolicy(Learn, p => p.RequireRole(Roles.Learner));
        options.AddPolicy(SeeTrends, p => p.RequireRole(Roles.Supervisor, Roles.Admin));
    }
}
