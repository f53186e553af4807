using CallReview.Web.Features.Accounts;

namespace CallReview.Web.Features.Calibration;

/// <summary>
/// Who calibrates: a supervisor sends a call to reviewers and supervisors who share one of her teams. Who may open
/// a session's work is the participant rule in <see cref="Review.ReviewScopes"/>; its call still goes through
/// <see cref="Calls.CallAccess"/>.
/// </summary>
public static class CalibrationAccess
{
    public static bool MayCreate(CurrentUser user) => user.Allows(Policies.Supervise);

    /// <summary>SQL on alias <c>u</c> (UserAccount): an active reviewer or supervisor who shares a team with <c>@userId</c>.</summary>
    public static string Participant =>
        $"u.IsActive = 1 AND {Roles.HeldBy("u.Id", Roles.Reviewer, Roles.Supervisor)} " +
        "AND EXISTS (SELECT 1 FROM TeamMember m WHERE m.UserId = u.Id AND m.TeamId IN (SELECT TeamId FROM TeamMember WHERE UserId = @userId))";
}
