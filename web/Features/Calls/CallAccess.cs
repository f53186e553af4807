using System.Collections.Concurrent;
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
        /// <summary>Raised on every change of the call's transcript lines, muted spans or language (triggers, migration 0021).</summary>
        public long TranscriptVersion { get; init; }
        /// <summary>Raised on every write of the call's annotations (triggers, migration 0022).</summary>
        public long AnnotationVersion { get; init; }
        /// <summary>Raised on every change of the need categories' names, in any language, and of users' display names (triggers, migrations 0022, 0023).</summary>
        public long NamesVersion { get; init; }
        /// <summary>The call's recording files, read with the call: every page that shows its timeline needs them. Null when it has none.</summary>
        public RecordingFiles? Recording { get; internal set; }
    }

    /// <summary>
    /// SQL condition (on alias <c>c</c>) that limits calls to those the user may see; parameters from <see cref="Parameters"/>.
    /// <paramref name="teamColumn"/> writes the team and agent columns of a reviewer's condition (a list walked in time order
    /// hides them from SQLite's index choice, <see cref="SqlDialect.NotIndexed"/>); an agent's own calls are few and found by their index.
    /// </summary>
    public static string VisibleTo(CurrentUser user, Func<string, string>? teamColumn = null) =>
        user.IsIn(Roles.Admin) ? "1 = 1"
            : user.IsIn(Roles.Reviewer) || user.IsIn(Roles.Supervisor) ? teamColumn is null ? TeamCalls : TeamCallsOf(teamColumn)
            : "c.AgentUserId = @AccessUserId";

    private static readonly string TeamCalls = TeamCallsOf(c => c);

    private static string TeamCallsOf(Func<string, string> column) =>
        $"({column("c.TeamId")} IS NULL OR {column("c.TeamId")} IN (SELECT TeamId FROM TeamMember WHERE UserId = @AccessUserId) OR {column("c.AgentUserId")} = @AccessUserId)";

    /// <summary><see cref="FindAsync"/>'s statement for each <see cref="VisibleTo"/> condition: written once, not on every page that opens a call.</summary>
    private static readonly ConcurrentDictionary<string, string> FindSql = new();

    public static object Parameters(CurrentUser user) => new { AccessUserId = user.Id };

    /// <summary>Reviews calls (annotates, scores, builds exercises): reviewers and supervisors, as <see cref="Policies.Review"/>.</summary>
    public static bool MayReview(CurrentUser user) => user.Allows(Policies.Review);

    /// <summary>Uploads, re-transcribes and cancels calls, as <see cref="Policies.ManageCalls"/>.</summary>
    public static bool MayManage(CurrentUser user) => user.Allows(Policies.ManageCalls);

    /// <summary>SQL condition on alias <c>t</c> (Team): the teams the user may file calls under and filter by, all for an admin, else their own; parameters from <see cref="Parameters"/>.</summary>
    public static string FilingTeams(CurrentUser user) =>
        user.IsIn(Roles.Admin) ? "1 = 1" : "t.Id IN (SELECT TeamId FROM TeamMember WHERE UserId = @AccessUserId)";

    /// <summary>May a call be filed under this team? The command line (no user) and admins any, others their own.</summary>
    public static bool MayFileUnder(CurrentUser? user, int teamId) => user is null || user.IsIn(Roles.Admin) || user.TeamIds.Contains(teamId);

    /// <summary>The team a call goes to when none is named: the importer's only team; none for an admin or several teams.</summary>
    public static int? DefaultTeam(CurrentUser? user) => user is { TeamIds.Count: 1 } && !user.IsIn(Roles.Admin) ? user.TeamIds.Single() : null;

    /// <summary>The teams a call with no team may take its agent from: the importer's; null (anyone) for the command line and admins.</summary>
    public static IReadOnlyCollection<int>? AgentTeams(CurrentUser? user) => user is null || user.IsIn(Roles.Admin) ? null : user.TeamIds;

    /// <summary>Where the user opens a call (at a moment): reviewers and supervisors its review, admins its page, an agent their own review of it.</summary>
    public static string PathFor(CurrentUser user, int callId, long? atMs = null) =>
        MayReview(user) ? $"/review/{callId}" + (atMs is { } ms ? "?t=" + (ms / 1000m).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : "")
        : user.IsIn(Roles.Admin) ? $"/calls/{callId}"
        : $"/reviews/mine/{callId}";

    public async Task<VisibleCall?> FindAsync(int callId, CurrentUser user, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<VisibleCall, RecordingFiles, VisibleCall>(FindSql.GetOrAdd(VisibleTo(user), visible =>
            $"""
            SELECT c.Id, c.Title, c.TeamId, c.AgentUserId, c.AgentName, c.DurationMs, c.Layout, c.Language, c.StartedAt, c.IsSample, c.TranscriptVersion,
                   c.AnnotationVersion, (SELECT v.Version FROM NamesVersion v WHERE v.Id = 1) AS NamesVersion,
                   {RecordingFiles.Columns("r")}
            FROM Call c LEFT JOIN Recording r ON r.CallId = c.Id WHERE c.Id = @callId AND {visible}
            """), (call, recording) =>
            {
                call.Recording = recording;
                return call;
            }, new { AccessUserId = user.Id, callId }, splitOn: RecordingFiles.FirstColumn)).SingleOrDefault();
    }
}
