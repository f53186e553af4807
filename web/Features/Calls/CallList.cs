using System.ComponentModel.DataAnnotations;
using CallReview.Db;
using CallReview.Transcription;
using CallReview.Web.Features.Accounts;
using Dapper;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Calls;

/// <summary>The calls a user may see, newest first, with their transcription status.</summary>
public static class CallList
{
    public const int PageSize = 50;

    public sealed class Filter
    {
        public int? TeamId { get; set; }
        public string? Status { get; set; }
        public string? Q { get; set; }
        [Range(1, 100_000)] public int Page { get; set; } = 1;
    }

    public sealed class Row
    {
        public int Id { get; init; }
        public string Title { get; init; } = "";
        public string? Agent { get; init; }
        public string? Team { get; init; }
        public DateTimeOffset? StartedAt { get; init; }
        public long DurationMs { get; init; }
        public string? Language { get; init; }
        public bool IsSample { get; init; }
        public string? Status { get; init; }
        public double Progress { get; init; }
        public string? Error { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public bool IsActive => Status is "queued" or "running";
    }

    public sealed record TeamOption(int Id, string Name);

    /// <summary><paramref name="MissingModel"/> says what to do when no whisper model is installed, else null.</summary>
    public sealed record Model(Filter Filter, IReadOnlyList<Row> Calls, IReadOnlyList<TeamOption> Teams, bool HasMore, bool CanReview, string? MissingModel);

    public sealed class Handler(IDbConnectionFactory db, ModelCatalog models)
    {
        private const string LatestJob = "(SELECT MAX(Id) FROM TranscriptionJob WHERE CallId = c.Id)";

        public async Task<Model> HandleAsync(Filter filter, CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var parameters = new DynamicParameters(CallAccess.Parameters(user));
            var where = new List<string> { CallAccess.VisibleTo(user) };
            if (filter.TeamId is { } teamId)
            {
                where.Add("c.TeamId = @teamId");
                parameters.Add("teamId", teamId);
            }
            if (!string.IsNullOrWhiteSpace(filter.Status))
            {
                where.Add("j.Status = @status");
                parameters.Add("status", filter.Status);
            }
            if (!string.IsNullOrWhiteSpace(filter.Q))
            {
                where.Add($"({db.Dialect.Contains("c.Title", "@q")} OR {db.Dialect.Contains("COALESCE(c.AgentName, '')", "@q")} OR {db.Dialect.Contains("COALESCE(c.ExternalRef, '')", "@q")})");
                parameters.Add("q", filter.Q.Trim());
            }
            var page = Math.Max(1, filter.Page);
            parameters.Add("Offset", (page - 1) * PageSize);
            parameters.Add("Limit", PageSize + 1);
            // Page the visible call ids first (SQLite walks IX_Call_CallAt and stops after a page), then join
            // names and the latest job for those rows only; the job join is inside only to filter by status.
            var statusJoin = string.IsNullOrWhiteSpace(filter.Status) ? "" : $"LEFT JOIN TranscriptionJob j ON j.Id = {LatestJob}";
            var rows = (await connection.QueryAsync<Row>(
                $"""
                SELECT c.Id, c.Title, COALESCE(u.DisplayName, c.AgentName) AS Agent, t.Name AS Team, c.StartedAt, c.DurationMs,
                       c.Language, c.IsSample, j.Status, j.Progress, j.Error, c.CreatedAt
                FROM (SELECT c.Id, c.CallAt FROM Call c {statusJoin}
                      WHERE {string.Join(" AND ", where)}
                      ORDER BY c.CallAt DESC, c.Id DESC
                      {db.Dialect.Page}) p
                JOIN Call c ON c.Id = p.Id
                LEFT JOIN UserAccount u ON u.Id = c.AgentUserId
                LEFT JOIN Team t ON t.Id = c.TeamId
                LEFT JOIN TranscriptionJob j ON j.Id = {LatestJob}
                ORDER BY p.CallAt DESC, p.Id DESC
                """, parameters)).ToList();
            var teams = await TeamsAsync(connection, user);
            var canReview = CallAccess.MayReview(user);
            var missingModel = models.Resolve(null) is null ? models.MissingModelAdvice : null;
            return new Model(filter, rows.Take(PageSize).ToList(), teams, rows.Count > PageSize, canReview, missingModel);
        }

        /// <summary>The teams a user may file calls under: all for an admin, else their own.</summary>
        public async Task<IReadOnlyList<TeamOption>> TeamsAsync(CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            return await TeamsAsync(connection, user);
        }

        private static async Task<IReadOnlyList<TeamOption>> TeamsAsync(System.Data.Common.DbConnection connection, CurrentUser user) =>
            (await connection.QueryAsync<(int Id, string Name)>(
                $"SELECT t.Id, t.Name FROM Team t WHERE {CallAccess.FilingTeams(user)} ORDER BY t.Name",
                CallAccess.Parameters(user))).Select(t => new TeamOption(t.Id, t.Name)).ToList();
    }
}
