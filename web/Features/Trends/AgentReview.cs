using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Review;
using Dapper;
using static CallReview.Web.Features.Trends.TrendStats;

namespace CallReview.Web.Features.Trends;

/// <summary>
/// One agent's performance review over a chosen period (<c>/trends/agents/{id}</c>), printable for the periodic
/// review: strengths (model moments), recurring unmet-need categories with example moments, the QA trend,
/// exercise progress, acknowledgements and disputes. Agents see their own; supervisors the agents of their
/// teams, for the time they were in them; admins everyone.
/// </summary>
public static class AgentReview
{
    public sealed record CategoryExamples(string Name, int Count, IReadOnlyList<Evidence.Moment> Examples);

    public sealed class Model
    {
        public required int AgentId { get; init; }
        public required string AgentName { get; init; }
        public required string Teams { get; init; }
        public required Dashboard.Model Trends { get; init; }
        public required Estimate Unmet { get; init; }
        public required Estimate ModelMoments { get; init; }
        public required Estimate Score { get; init; }
        public required Estimate AutoFail { get; init; }
        public required Estimate Acknowledged { get; init; }
        public required IReadOnlyList<CategoryExamples> Strengths { get; init; }
        public required IReadOnlyList<CategoryExamples> Recurring { get; init; }
        public required IReadOnlyList<TrendFacts.Dispute> Disputes { get; init; }
        public required int Attempts { get; init; }
    }

    public const int ExamplesPerCategory = 3;

    public sealed class Handler(IDbConnectionFactory db, TrendFacts.Handler facts, NeedCategories.Handler categories, IConfiguration configuration, TimeProvider clock)
    {
        public async Task<Model?> LoadAsync(int agentId, TrendFilter filter, CurrentUser user, CancellationToken ct)
        {
            var zone = Periods.Zone(configuration);
            var query = filter.Resolve(Periods.LocalDay(clock.GetUtcNow(), zone)) with { Agent = agentId, Team = null, Category = null };
            await using var connection = await db.OpenAsync(ct);
            var scope = await TrendScope.ForAsync(user, connection);
            var agent = await connection.QuerySingleOrDefaultAsync<(int Id, string DisplayName)?>(
                "SELECT Id, DisplayName FROM UserAccount WHERE Id = @agentId", new { agentId });
            if (agent is null || !await MaySeeAsync(connection, scope, agentId))
                return null;
            var teams = string.Join(", ", await connection.QueryAsync<string>(
                "SELECT t.Name FROM Team t JOIN TeamMember m ON m.TeamId = t.Id WHERE m.UserId = @agentId ORDER BY t.Name", new { agentId }));

            var f = await facts.LoadAsync(query, scope, zone, ct);
            var categoryList = await categories.ListAsync(activeOnly: false, ct);
            var trends = Dashboard.Build(query, zone, [], [], categoryList, f);
            Estimate All(TrendMetrics.Metric metric) => TrendMetrics.Of(metric, f.Sums, f.Attempts, f.Pins.ToLookup(p => p.AttemptId), null);

            var parameters = scope.Parameters(query, zone);
            var acknowledged = await connection.ExecuteScalarAsync<int>(
                $"SELECT COUNT(*) FROM ReviewAcknowledgement k WHERE k.UserId = @Agent AND k.CallId IN (SELECT t.CallId {TrendFacts.ReviewedCalls(query, scope)})", parameters);

            async Task<IReadOnlyList<CategoryExamples>> GroupedAsync(string kind)
            {
                var moments = await Evidence.MomentsAsync(connection, db.Dialect, query, scope, zone, kind, null, 2000, user);
                return moments.GroupBy(m => m.CategoryName).OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
                    .Select(g => new CategoryExamples(g.Key, g.Count(), g.OrderByDescending(m => m.CallId).Take(ExamplesPerCategory).ToList())).ToList();
            }

            return new Model
            {
                AgentId = agentId,
                AgentName = agent.Value.DisplayName,
                Teams = teams,
                Trends = trends,
                Unmet = All(TrendMetrics.Unmet),
                ModelMoments = All(TrendMetrics.Model),
                Score = All(TrendMetrics.Score),
                AutoFail = All(TrendMetrics.AutoFail),
                Acknowledged = Proportion(acknowledged, trends.ReviewedCalls),
                Strengths = await GroupedAsync("exemplary"),
                Recurring = await GroupedAsync("unmet"),
                Disputes = f.Disputes.OrderBy(d => d.CreatedAt).ToList(),
                Attempts = f.Attempts.Count,
            };
        }

        /// <summary>Agents only themselves; supervisors agents who have ever been in one of their teams; admins anyone.</summary>
        private static async Task<bool> MaySeeAsync(System.Data.Common.DbConnection connection, TrendScope scope, int agentId) =>
            scope.All || scope.OnlyAgent == agentId ||
            (scope.OnlyAgent is null && await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM TeamMembership WHERE UserId = @agentId AND TeamId IN @TeamIds", new { agentId, scope.TeamIds }) > 0);
    }
}
