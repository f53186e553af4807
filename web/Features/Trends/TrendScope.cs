using CallReview.Db;
using CallReview.Web.Features.Accounts;
using Dapper;

namespace CallReview.Web.Features.Trends;

/// <summary>
/// Whose numbers a user may see: admins everyone; supervisors the agents of their teams, for the time those
/// agents were in those teams; everyone else only themselves. Every trends query filters through here.
/// </summary>
public sealed record TrendScope(bool All, IReadOnlyList<int> TeamIds, int? OnlyAgent)
{
    public static async Task<TrendScope> ForAsync(CurrentUser user, System.Data.Common.DbConnection connection)
    {
        if (user.IsIn(Roles.Admin))
            return new TrendScope(true, [], null);
        if (user.IsIn(Roles.Supervisor))
            return new TrendScope(false, (await connection.QueryAsync<int>("SELECT TeamId FROM TeamMember WHERE UserId = @Id", new { user.Id })).ToList(), null);
        return new TrendScope(false, [], user.Id);
    }

    /// <summary>May the dashboard be filtered by this team (admins any; supervisors their own)?</summary>
    public bool MaySee(int teamId) => OnlyAgent is null && (All || TeamIds.Contains(teamId));

    /// <summary>The teams rows must belong to at the time, after the team filter; null when any team will do.</summary>
    public IReadOnlyList<int>? Teams(TrendQuery query) =>
        query.Team is { } team ? (MaySee(team) ? [team] : []) : All || OnlyAgent is not null ? null : TeamIds;

    /// <summary>
    /// SQL: the row belongs to the scope and filters. <paramref name="agent"/> is the agent's user id column,
    /// <paramref name="at"/> the moment the team is taken at (the agent's team <i>then</i>, from TeamMembership),
    /// <paramref name="callTeam"/> the call's own team, used when the call names no agent account.
    /// Parameters come from <see cref="Parameters"/>.
    /// </summary>
    public string Condition(TrendQuery query, string agent, string at, string? callTeam)
    {
        var parts = new List<string>();
        if (OnlyAgent is not null)
            parts.Add($"{agent} = @OnlyAgent");
        if (query.Agent is not null)
            parts.Add($"{agent} = @Agent");
        if (Teams(query) is not null)
        {
            var member = $"EXISTS (SELECT 1 FROM TeamMembership tm WHERE tm.UserId = {agent} AND tm.TeamId IN @Teams AND tm.FromAt <= {at} AND (tm.ToAt IS NULL OR tm.ToAt > {at}))";
            parts.Add(callTeam is null ? member : $"({member} OR ({agent} IS NULL AND {callTeam} IN @Teams))");
        }
        return parts.Count == 0 ? "1 = 1" : string.Join(" AND ", parts);
    }

    /// <summary>
    /// SQL: a trend fact (alias <paramref name="fact"/>) belongs to the scope and filters: its agent, or its team set
    /// (the teams the agent was in at the time of the call) sharing a team with the ones in scope. Per-day facts have
    /// no agent; they are read only when no agent is asked for.
    /// </summary>
    public string FactCondition(TrendQuery query, string fact)
    {
        var parts = new List<string>();
        if (OnlyAgent is not null)
            parts.Add($"{fact}.AgentUserId = @OnlyAgent");
        if (query.Agent is not null)
            parts.Add($"{fact}.AgentUserId = @Agent");
        if (Teams(query) is not null)
            parts.Add($"{fact}.Teams IN (SELECT s.Teams FROM TrendTeams s WHERE s.TeamId IN @Teams)");
        return parts.Count == 0 ? "1 = 1" : string.Join(" AND ", parts);
    }

    public DynamicParameters Parameters(TrendQuery query, TimeZoneInfo zone)
    {
        var parameters = new DynamicParameters();
        parameters.Add("FromAt", Periods.StartInstant(query.From, zone));
        parameters.Add("ToAt", Periods.StartInstant(query.To.AddDays(1), zone));
        parameters.Add("FromDay", query.From.DayNumber);
        parameters.Add("ToDay", query.To.DayNumber);
        parameters.Add("DateBasis", query.DateBasis);
        parameters.Add("OnlyAgent", OnlyAgent);
        parameters.Add("LearnerId", OnlyAgent);
        parameters.Add("Agent", query.Agent);
        parameters.Add("Teams", Teams(query) ?? []);
        parameters.Add("Category", query.Category);
        return parameters;
    }
}
