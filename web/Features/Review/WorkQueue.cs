using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Review;

/// <summary>A reviewer's work queue: transcribed calls they may open that nobody has scored yet, filtered by team, agent, date and tag.</summary>
public static class WorkQueue
{
    public sealed class Filter
    {
        public int? Team { get; set; }
        public int? Agent { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
        public string? Tag { get; set; }
        /// <summary>Include calls that already have a scorecard.</summary>
        public bool All { get; set; }
    }

    public sealed class Row
    {
        public int Id { get; init; }
        public string Title { get; init; } = "";
        public string? TeamName { get; init; }
        public string? Agent { get; init; }
        public DateTimeOffset? StartedAt { get; init; }
        public long DurationMs { get; init; }
        public int Annotations { get; init; }
        public int Scorecards { get; init; }
    }

    public sealed record Model(Filter Filter, IReadOnlyList<Row> Calls, IReadOnlyList<FilterOption> Teams, IReadOnlyList<FilterOption> Agents, IReadOnlyList<string> Tags);

    public sealed class Handler(IDbConnectionFactory db)
    {
        public const int Limit = 200;

        public async Task<Model> LoadAsync(Filter filter, CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var visible = CallAccess.VisibleTo(user);
            var parameters = new DynamicParameters(CallAccess.Parameters(user));
            parameters.AddDynamicParams(new
            {
                // Tags are stored lower-case (ImportCall), so the filter is too: the same match on both engines.
                filter.Team, filter.Agent, Tag = string.IsNullOrWhiteSpace(filter.Tag) ? null : filter.Tag.Trim().ToLowerInvariant(),
                From = filter.From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null,
                To = filter.To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null,
                Offset = 0, Limit,
            });
            var calls = await connection.QueryAsync<Row>(
                $"""
                SELECT c.Id, c.Title, t.Name AS TeamName, COALESCE(u.DisplayName, c.AgentName) AS Agent, c.StartedAt, c.DurationMs,
                    (SELECT COUNT(*) FROM Annotation a WHERE a.CallId = c.Id AND a.DeletedAt IS NULL AND a.CalibrationSessionId IS NULL) AS Annotations,
                    (SELECT COUNT(*) FROM ScorecardResult r WHERE r.CallId = c.Id AND r.CalibrationSessionId IS NULL) AS Scorecards
                FROM Call c
                LEFT JOIN Team t ON t.Id = c.TeamId
                LEFT JOIN UserAccount u ON u.Id = c.AgentUserId
                WHERE {visible}
                  AND EXISTS (SELECT 1 FROM Segment s WHERE s.CallId = c.Id)
                  {(filter.All ? "" : "AND NOT EXISTS (SELECT 1 FROM ScorecardResult r WHERE r.CallId = c.Id AND r.CalibrationSessionId IS NULL)")}
                  AND (@Team IS NULL OR c.TeamId = @Team)
                  AND (@Agent IS NULL OR c.AgentUserId = @Agent)
                  AND (@From IS NULL OR c.StartedAt >= @From)
                  AND (@To IS NULL OR c.StartedAt < @To)
                  AND (@Tag IS NULL OR EXISTS (SELECT 1 FROM CallTag g WHERE g.CallId = c.Id AND g.Tag = @Tag))
                ORDER BY c.StartedAt DESC, c.Id DESC
                {db.Dialect.Page}
                """, parameters);
            var teams = await connection.QueryAsync<FilterOption>(
                $"SELECT CAST(t.Id AS VARCHAR(12)) AS Value, t.Name FROM Team t WHERE {CallAccess.FilingTeams(user)} ORDER BY t.Name",
                CallAccess.Parameters(user));
            var agents = await connection.QueryAsync<FilterOption>(
                $"""
                SELECT DISTINCT CAST(u.Id AS VARCHAR(12)) AS Value, u.DisplayName AS Name
                FROM Call c JOIN UserAccount u ON u.Id = c.AgentUserId
                WHERE {visible} ORDER BY u.DisplayName
                """, CallAccess.Parameters(user));
            var tags = await connection.QueryAsync<string>(
                $"SELECT DISTINCT g.Tag FROM CallTag g JOIN Call c ON c.Id = g.CallId WHERE {visible} ORDER BY g.Tag", CallAccess.Parameters(user));
            return new Model(filter, calls.ToList(), teams.ToList(), agents.ToList(), tags.ToList());
        }
    }
}
