using System.ComponentModel.DataAnnotations;
using CallReview.Db;
using CallReview.Transcription;
using CallReview.Transcription.Jobs;
using CallReview.Web.Features.Accounts;
using Dapper;
using CallReview.Web.Infrastructure;
using Microsoft.Extensions.Caching.Memory;

namespace CallReview.Web.Features.Calls;

/// <summary>The calls a user may see, newest first, with their transcription status.</summary>
public static class CallList
{
    public const int PageSize = 50;

    /// <summary>The statuses the list filters by (its status choices).</summary>
    public static readonly IReadOnlyList<string> Statuses = ["queued", "running", "done", "failed", "cancelled"];

    /// <summary>Pages up to this one are kept in memory; a search, an unknown status or a page further back are read afresh.</summary>
    private const int KeptPages = 20;

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
        public string? ErrorKey { get; init; }
        public string? ErrorArgs { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public bool IsActive => Status is "queued" or "running";

        public JobFailure? Failure => JobFailure.Read(ErrorKey, ErrorArgs, Error);
    }

    public sealed record TeamOption(int Id, string Name);

    /// <summary>
    /// <paramref name="MissingModel"/> says what to do when no whisper model is installed, else null; <paramref name="Key"/> is
    /// the key the page's rows are kept (and rendered) under, null for a search, which is read afresh every time. Only an
    /// admin sees technical detail (<paramref name="ShowsTechnicalDetail"/>: a failed job's, the missing model's; the key holds the roles).
    /// </summary>
    public sealed record Model(Filter Filter, IReadOnlyList<Row> Calls, IReadOnlyList<TeamOption> Teams, bool HasMore, bool CanReview, string? MissingModel,
        string? Key = null, bool ShowsTechnicalDetail = false);

    private sealed record ListPage(IReadOnlyList<Row> Calls, IReadOnlyList<TeamOption> Teams, bool HasMore);

    public sealed class Handler(IDbConnectionFactory db, ModelCatalog models, IMemoryCache cache)
    {
        private const string LatestJob = "(SELECT MAX(Id) FROM TranscriptionJob WHERE CallId = c.Id)";

        /// <summary>
        /// A page of the list (see <see cref="KeptPages"/>) is kept in memory under the list's version (migration 0024: raised by
        /// triggers on every change of what the list shows or whom it shows it to, whoever writes it), the user and
        /// their roles (which calls they see) and the filter: read once per change instead of on every view.
        /// </summary>
        public async Task<Model> HandleAsync(Filter filter, CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var canReview = CallAccess.MayReview(user);
            var detail = user.IsIn(Roles.Admin);
            var missingModel = models.DefaultModelFound() ? null : models.MissingModelAdvice;
            if (!string.IsNullOrWhiteSpace(filter.Q) || filter.Page > KeptPages || !(string.IsNullOrEmpty(filter.Status) || Statuses.Contains(filter.Status)))
            {
                var found = await ReadAsync(connection, filter, user);
                return new Model(filter, found.Calls, found.Teams, found.HasMore, canReview, missingModel, ShowsTechnicalDetail: detail);
            }
            var version = await connection.ExecuteScalarAsync<long>("SELECT Version FROM CallListVersion WHERE Id = 1");
            var key = string.Join(':', "calls", version, user.Id, string.Join(',', user.Roles.Order(StringComparer.Ordinal)), filter.TeamId, filter.Status,
                filter.Page);
            var page = await cache.GetOrCreateAsync(key, async entry =>
            {
                // Absolute and short: every version (a job's heartbeat raises it) and filter makes a new key, so entries must not pile up.
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30);
                return await ReadAsync(connection, filter, user);
            });
            return new Model(filter, page!.Calls, page.Teams, page.HasMore, canReview, missingModel, key, detail);
        }

        private async Task<ListPage> ReadAsync(System.Data.Common.DbConnection connection, Filter filter, CurrentUser user)
        {
            var (sql, parameters) = PageQuery(db.Dialect, filter, user);
            var rows = (await connection.QueryAsync<Row>(sql, parameters)).ToList();
            return new ListPage(rows.Take(PageSize).ToList(), await TeamsAsync(connection, user), rows.Count > PageSize);
        }

        /// <summary>
        /// A page of the list and one row more (is there a next page?). The visible call ids are paged first, walking
        /// IX_Call_CallAt newest first and stopping after the page (the visibility condition hides its columns from SQLite's
        /// index choice, which would otherwise read every visible call through the team and agent indexes and sort them);
        /// names and the latest job are joined for those rows only; the job join is inside only to filter by status.
        /// </summary>
        internal static (string Sql, DynamicParameters Parameters) PageQuery(SqlDialect dialect, Filter filter, CurrentUser user)
        {
            var parameters = new DynamicParameters(CallAccess.Parameters(user));
            var where = new List<string> { CallAccess.VisibleTo(user, dialect.NotIndexed) };
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
                where.Add($"({dialect.Contains("c.Title", "@q")} OR {dialect.Contains("COALESCE(c.AgentName, '')", "@q")} OR {dialect.Contains("COALESCE(c.ExternalRef, '')", "@q")})");
                parameters.Add("q", filter.Q.Trim());
            }
            var page = Math.Max(1, filter.Page);
            parameters.Add("Offset", (page - 1) * PageSize);
            parameters.Add("Limit", PageSize + 1);
            var statusJoin = string.IsNullOrWhiteSpace(filter.Status) ? "" : $"LEFT JOIN TranscriptionJob j ON j.Id = {LatestJob}";
            return ($"""
                SELECT c.Id, c.Title, COALESCE(u.DisplayName, c.AgentName) AS Agent, t.Name AS Team, c.StartedAt, c.DurationMs,
                       c.Language, c.IsSample, j.Status, j.Progress, j.Error, j.ErrorKey, j.ErrorArgs, c.CreatedAt
                FROM (SELECT c.Id, c.CallAt FROM Call c {statusJoin}
                      WHERE {string.Join(" AND ", where)}
                      ORDER BY c.CallAt DESC, c.Id DESC
                      {dialect.Page}) p
                JOIN Call c ON c.Id = p.Id
                LEFT JOIN UserAccount u ON u.Id = c.AgentUserId
                LEFT JOIN Team t ON t.Id = c.TeamId
                LEFT JOIN TranscriptionJob j ON j.Id = {LatestJob}
                ORDER BY p.CallAt DESC, p.Id DESC
                """, parameters);
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
