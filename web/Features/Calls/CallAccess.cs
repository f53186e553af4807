using CallReview.Db;
using CallReview.Web.Features.Accounts;
using Dapper;

namespace CallReview.Web.Features.Calls;

/// <summary>
/// Who may open a call: admins all; reviewers and supervisors the calls of their teams and calls with no
/// team (shared samples); a learner only calls where they are the agent. Every feature that opens a call
/// by id asks here, so "another team's call" is a 404 everywhere.
/// </summary>
public sealed class CallAccess(IDbConnectionFactory db)
{
    public sealed class VisibleCall
    {
        public int Id { get; init; }
        public string Title { get; init; } = "";
        public int? TeamId { get; init; }
        public int? AgentUserId { get; init; }
        public string? AgentName { get; init; }
        public long DurationMs { get; init; }
        public string Layout { get; init; } = "";
        public string? Language { get; init; }
        public DateTimeOffset? StartedAt { get; init; }
        public bool IsSample { get; init; }
    }

    /// <summary>SQL condition (on alias <c>c</c>) that limits calls to those the user may see; parameters from <see cref="Parameters"/>.</summary>
    public static string VisibleTo(CurrentUser user) =>
        user.IsIn(Roles.Admin) ? "1 = 1"
        : user.IsIn(Roles.Reviewer) || user.IsIn(Roles.Supervisor)
            ? "(c.TeamId IS NULL OR c.TeamId IN (SELECT TeamId FROM TeamMember WHERE UserId = @AccessUserId) OR c.AgentUserId = @AccessUserId)"
            : "c.AgentUserId = @AccessUserId";

    public static object Parameters(CurrentUser user) => new { AccessUserId = user.Id };

    public async Task<VisibleCall?> FindAsync(int callId, CurrentUser user, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var parameters = new DynamicParameters(Parameters(user));
        parameters.Add("callId", callId);
        return await connection.QuerySingleOrDefaultAsync<VisibleCall>(
            $"""
            SELECT c.Id, c.Title, c.TeamId, c.AgentUserId, c.AgentName, c.DurationMs, c.Layout, c.Language, c.StartedAt, c.IsSample
            FROM Call c WHERE c.Id = @callId AND {VisibleTo(user)}
            """, parameters);
    }
}
