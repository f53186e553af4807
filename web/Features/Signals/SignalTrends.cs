using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Trends;
using Dapper;
using static CallReview.Web.Features.Trends.TrendStats;

namespace CallReview.Web.Features.Signals;

/// <summary>
/// Dead air (% of the call) and interruptions per call, agent by agent and period, for the trends page. Read from the
/// per-call measures the signals step keeps on write (<c>CallSignalMeasure</c>: the call's local day, its agent, the
/// measured milliseconds and counts), within the same scope and filters as the other trends; by the date of the call.
/// Each point is a mean over the calls themselves with its 95% interval and n.
/// </summary>
public static class SignalTrends
{
    public sealed record Cell(Estimate DeadAirPercent, Estimate Interruptions);

    public sealed record AgentRow(int? UserId, string Name, IReadOnlyList<Cell> Cells, Cell Total);

    public sealed record Model(TrendQuery Query, IReadOnlyList<Period> Periods, IReadOnlyList<AgentRow> Agents);

    private sealed class Row
    {
        public int? AgentUserId { get; init; }
        public string? AgentName { get; init; }
        public int CallDay { get; init; }
        public long DurationMs { get; init; }
        public long DeadAirMs { get; init; }
        public int Interruptions { get; init; }
    }

    public sealed class Handler(IDbConnectionFactory db, IConfiguration configuration, TimeProvider clock)
    {
        public async Task<Model?> LoadAsync(TrendFilter filter, CurrentUser user, CancellationToken ct)
        {
            var zone = Periods.Zone(configuration);
            var query = filter.Resolve(Periods.LocalDay(clock.GetUtcNow(), zone));
            await using var connection = await db.OpenAsync(ct);
            var scope = await TrendScope.ForAsync(user, connection);
            if (query.Team is { } team && !scope.MaySee(team))
                return null;
            var rows = (await connection.QueryAsync<Row>(
                $"""
                SELECT m.AgentUserId, COALESCE(u.DisplayName, c.AgentName) AS AgentName, m.CallDay, m.DurationMs, m.DeadAirMs, m.Interruptions
                FROM CallSignalMeasure m JOIN Call c ON c.Id = m.CallId LEFT JOIN UserAccount u ON u.Id = m.AgentUserId
                WHERE m.CallDay >= @FromDay AND m.CallDay <= @ToDay AND m.DurationMs > 0
                  AND {scope.Condition(query, "m.AgentUserId", TrendFacts.CallAt, "c.TeamId")}
                """, scope.Parameters(query, zone))).ToList();
            // Periods before the first call with signals are left out: a column of nothing per month hides the figures on a phone.
            var periods = Periods.Between(query.From, query.To, query.By)
                .SkipWhile(p => !rows.Any(r => p.Contains(DateOnly.FromDayNumber(r.CallDay)))).ToList();
            Cell CellOf(IEnumerable<Row> calls)
            {
                var list = calls.ToList();
                return new Cell(Mean(list.Select(r => 100.0 * r.DeadAirMs / r.DurationMs).ToList()), Mean(list.Select(r => (double)r.Interruptions).ToList()));
            }
            var agents = rows.GroupBy(r => (r.AgentUserId, Name: r.AgentName ?? "Unknown agent")).OrderBy(g => g.Key.Name)
                .Select(g => new AgentRow(g.Key.AgentUserId, g.Key.Name,
                    periods.Select(p => CellOf(g.Where(r => p.Contains(DateOnly.FromDayNumber(r.CallDay))))).ToList(), CellOf(g)))
                .ToList();
            return new Model(query, periods, agents);
        }
    }
}
