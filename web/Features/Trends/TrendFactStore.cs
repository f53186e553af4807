using System.Data.Common;
using System.Globalization;
using CallReview.Db;
using Dapper;

namespace CallReview.Web.Features.Trends;

/// <summary>
/// Keeps the trend facts (migration 0010) in step with reviews: every handler that changes a call's annotations or
/// scorecard refreshes that call in its own transaction, and a rebuild recomputes everything from the reviews (after
/// bulk history, or when the reporting time zone changed). A refresh and a rebuild run the same code and SQL, one
/// restricted to some calls, so they cannot drift apart. Facts hold per-evaluation values and sums (n, Σx, Σx²), never
/// averages, so every mean and interval is still taken over the evaluations themselves.
/// </summary>
public sealed class TrendFactStore(IDbConnectionFactory db, IConfiguration configuration, ILogger<TrendFactStore> logger)
{
    public static readonly IReadOnlyList<(string Basis, string Column)> Bases = [("call", "CallDay"), ("review", "ReviewDay")];

    private TimeZoneInfo Zone => Periods.Zone(configuration);

    private sealed class Source
    {
        public int CallId { get; init; }
        public int? AgentUserId { get; init; }
        public int? TeamId { get; init; }
        public DateTimeOffset CallAt { get; init; }
        public int ResultId { get; init; }
        public DateTimeOffset ReviewedAt { get; init; }
        public int RubricVersionId { get; init; }
        public double Score { get; init; }
        public bool AutoFailed { get; init; }
    }

    private sealed class Membership
    {
        public int UserId { get; init; }
        public int TeamId { get; init; }
        public DateTimeOffset FromAt { get; init; }
        public DateTimeOffset? ToAt { get; init; }
    }

    private sealed class Count
    {
        public int CallId { get; init; }
        public string Kind { get; init; } = "";
        public string CategoryCode { get; init; } = "";
        public int N { get; init; }
    }

    private sealed record Key
    {
        public string Teams { get; init; } = "";
        public int CallDay { get; init; }
        public int ReviewDay { get; init; }
    }

    /// <summary>Recomputes the facts of these calls (and of the days and team sets they count on, before and after).</summary>
    public Task RefreshAsync(DbConnection connection, DbTransaction tx, params int[] callIds) =>
        callIds.Length == 0 ? Task.CompletedTask : WriteAsync(connection, tx, callIds);

    /// <summary>What an annotation counts as in the facts: its kind and category; null for one that counts nowhere (deleted, or a calibration pin).</summary>
    public sealed record Counted(string Kind, string CategoryCode)
    {
        public static Counted? Of(string kind, string categoryCode, int? calibrationSessionId, DateTimeOffset? deletedAt) =>
            calibrationSessionId is null && deletedAt is null ? new Counted(kind, categoryCode) : null;
    }

    /// <summary>
    /// After an annotation of the call was added (<paramref name="before"/> null), changed or deleted (<paramref name="after"/>
    /// null): the call's counts and its two days' category sums change by that one annotation, not recounted. This runs
    /// inside every annotation write while the other writers wait their turn, and a recount grows with the call's
    /// annotations. Only the counts can change (an annotation moves no call to another day or team set), and a call not
    /// yet reviewed has no facts. <c>TrendFactStoreTests</c> checks a mix of writes against a full rebuild.
    /// </summary>
    public async Task CountAnnotationAsync(DbConnection connection, DbTransaction tx, int callId, Counted? before, Counted? after)
    {
        if (before == after)
            return;
        var key = await connection.QuerySingleOrDefaultAsync<Key>("SELECT Teams, CallDay, ReviewDay FROM TrendCall WHERE CallId = @callId", new { callId }, tx);
        if (key is null)
            return;
        if (before is not null)
            await AddAsync(connection, tx, callId, key, before, -1);
        if (after is not null)
            await AddAsync(connection, tx, callId, key, after, 1);
    }

    /// <summary>One annotation more (<paramref name="delta"/> 1) or fewer (-1) in the call's facts; rows a recount would not hold (a zero) go.</summary>
    private async Task AddAsync(DbConnection connection, DbTransaction tx, int callId, Key key, Counted counted, int delta)
    {
        if (counted.Kind != "unmet")
        {
            await connection.ExecuteAsync("UPDATE TrendCall SET Model = Model + @delta WHERE CallId = @callId", new { callId, delta }, tx);
            return;
        }
        var row = new { CallId = callId, counted.CategoryCode, Unmet = delta };
        var before = await connection.ExecuteScalarAsync<long>(
            "SELECT COALESCE(MAX(Unmet), 0) FROM TrendCallCategory WHERE CallId = @CallId AND CategoryCode = @CategoryCode", row, tx);
        await connection.ExecuteAsync(
            $"""
            {db.Dialect.Upsert("TrendCallCategory", ["CallId", "CategoryCode"], ["Unmet"], add: true)};
            DELETE FROM TrendCallCategory WHERE CallId = @CallId AND CategoryCode = @CategoryCode AND Unmet = 0;
            UPDATE TrendCall SET Unmet = Unmet + @Unmet WHERE CallId = @CallId;
            """, row, tx);
        // The day's sum of squares changes by the call's new count squared less its old one squared.
        var after = before + delta;
        foreach (var (basis, _) in Bases)
            await connection.ExecuteAsync(
                $"""
                {db.Dialect.Upsert("TrendDayCategory", ["DateBasis", "LocalDay", "Teams", "CategoryCode"], ["UnmetSum", "UnmetSquares"], add: true)};
                DELETE FROM TrendDayCategory WHERE DateBasis = @DateBasis AND LocalDay = @LocalDay AND Teams = @Teams AND CategoryCode = @CategoryCode AND UnmetSum = 0;
                """,
                new
                {
                    DateBasis = basis, LocalDay = basis == "call" ? key.CallDay : key.ReviewDay, key.Teams, counted.CategoryCode,
                    UnmetSum = delta, UnmetSquares = after * after - before * before,
                }, tx);
    }

    /// <summary>Recomputes every fact from the reviews, in one transaction, and records the time zone the days are in.</summary>
    public async Task RebuildAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await WriteAsync(connection, tx, null);
        await connection.ExecuteAsync("DELETE FROM TrendFactState", transaction: tx);
        await connection.ExecuteAsync("INSERT INTO TrendFactState (Id, TimeZone, BuiltAt) VALUES (1, @zone, @now)",
            new { zone = Zone.Id, now = DateTimeOffset.UtcNow }, tx);
        await tx.CommitAsync(ct);
    }

    /// <summary>At start-up: facts never built (a database from before them) or counted in another time zone are rebuilt.</summary>
    public async Task EnsureCurrentAsync(CancellationToken ct)
    {
        await using (var connection = await db.OpenAsync(ct))
            if (await connection.ExecuteScalarAsync<string?>("SELECT TimeZone FROM TrendFactState WHERE Id = 1") == Zone.Id)
                return;
        logger.LogInformation("Rebuilding the trend facts in time zone {Zone}", Zone.Id);
        await RebuildAsync(ct);
    }

    private async Task WriteAsync(DbConnection connection, DbTransaction tx, int[]? callIds)
    {
        var zone = Zone;
        var only = callIds is null ? "" : "AND c.Id IN @callIds";
        var sources = (await connection.QueryAsync<Source>(
            $"""
            SELECT c.Id AS CallId, c.AgentUserId, c.TeamId, {TrendFacts.CallAt} AS CallAt, r.Id AS ResultId, r.CreatedAt AS ReviewedAt,
                   r.RubricVersionId, r.Score, r.AutoFailed
            FROM ScorecardResult r JOIN Call c ON c.Id = r.CallId
            WHERE r.CalibrationSessionId IS NULL
              AND NOT EXISTS (SELECT 1 FROM ScorecardResult e WHERE e.CallId = r.CallId AND e.CalibrationSessionId IS NULL AND e.Id < r.Id)
              {only}
            """, new { callIds }, tx)).ToList();
        var counts = (await connection.QueryAsync<Count>(
            $"""
            SELECT a.CallId, a.Kind, a.CategoryCode, COUNT(*) AS N FROM Annotation a
            WHERE a.CalibrationSessionId IS NULL AND a.DeletedAt IS NULL AND a.Kind IN ('unmet', 'exemplary')
              {(callIds is null ? "" : "AND a.CallId IN @callIds")}
            GROUP BY a.CallId, a.Kind, a.CategoryCode
            """, new { callIds }, tx)).ToLookup(c => c.CallId);
        // A refresh runs on every review write: read only the memberships of the agents on its calls.
        var memberships = (await connection.QueryAsync<Membership>(
            $"SELECT UserId, TeamId, FromAt, ToAt FROM TeamMembership {(callIds is null ? "" : "WHERE UserId IN (SELECT c.AgentUserId FROM Call c WHERE c.Id IN @callIds)")}",
            new { callIds }, tx)).ToLookup(m => m.UserId);

        // The days and team sets whose sums change: the ones the calls counted on before, and the ones they count on now.
        var keys = new HashSet<Key>();
        if (callIds is null)
        {
            foreach (var table in new[] { "TrendDayCategory", "TrendDayCriterion", "TrendCallCategory", "TrendCall", "TrendTeams" })
                await connection.ExecuteAsync($"DELETE FROM {table}", transaction: tx);
        }
        else
        {
            keys.UnionWith(await connection.QueryAsync<Key>("SELECT Teams, CallDay, ReviewDay FROM TrendCall WHERE CallId IN @callIds", new { callIds }, tx));
            await connection.ExecuteAsync("DELETE FROM TrendCallCategory WHERE CallId IN @callIds", new { callIds }, tx);
            await connection.ExecuteAsync("DELETE FROM TrendCall WHERE CallId IN @callIds", new { callIds }, tx);
        }

        var rows = sources.Select(s =>
        {
            var mine = counts[s.CallId].ToList();
            return new
            {
                s.CallId,
                s.ResultId,
                s.AgentUserId,
                Teams = TeamsAt(s, memberships),
                CallDay = Periods.LocalDay(s.CallAt, zone).DayNumber,
                ReviewDay = Periods.LocalDay(s.ReviewedAt, zone).DayNumber,
                s.RubricVersionId,
                s.Score,
                AutoFailed = s.AutoFailed ? 1 : 0,
                Unmet = mine.Where(c => c.Kind == "unmet").Sum(c => c.N),
                Model = mine.Where(c => c.Kind == "exemplary").Sum(c => c.N),
            };
        }).ToList();
        await connection.ExecuteAsync(
            """
            INSERT INTO TrendCall (CallId, ResultId, AgentUserId, Teams, CallDay, ReviewDay, RubricVersionId, Score, AutoFailed, Unmet, Model)
            VALUES (@CallId, @ResultId, @AgentUserId, @Teams, @CallDay, @ReviewDay, @RubricVersionId, @Score, @AutoFailed, @Unmet, @Model)
            """, rows, tx);
        var reviewed = rows.Select(r => r.CallId).ToHashSet();
        await connection.ExecuteAsync("INSERT INTO TrendCallCategory (CallId, CategoryCode, Unmet) VALUES (@CallId, @CategoryCode, @N)",
            counts.Where(g => reviewed.Contains(g.Key)).SelectMany(g => g).Where(c => c.Kind == "unmet"), tx);
        foreach (var teams in rows.Select(r => r.Teams).Distinct().Where(t => t.Length > 0))
            foreach (var teamId in teams.Split(','))
                await connection.ExecuteAsync(db.Dialect.Upsert("TrendTeams", ["Teams", "TeamId"], []),
                    new { Teams = teams, TeamId = int.Parse(teamId, CultureInfo.InvariantCulture) }, tx);
        keys.UnionWith(rows.Select(r => new Key { Teams = r.Teams, CallDay = r.CallDay, ReviewDay = r.ReviewDay }));

        foreach (var (basis, column) in Bases)
        {
            if (callIds is null)
                await SumDaysAsync(connection, tx, basis, column, "");
            else
                foreach (var (teams, day) in keys.Select(k => (k.Teams, basis == "call" ? k.CallDay : k.ReviewDay)).Distinct())
                {
                    var key = new { basis, day, teams };
                    await connection.ExecuteAsync("DELETE FROM TrendDayCategory WHERE DateBasis = @basis AND LocalDay = @day AND Teams = @teams", key, tx);
                    await connection.ExecuteAsync("DELETE FROM TrendDayCriterion WHERE DateBasis = @basis AND LocalDay = @day AND Teams = @teams", key, tx);
                    await SumDaysAsync(connection, tx, basis, column, $"AND t.{column} = @day AND t.Teams = @teams", key);
                }
        }
    }

    /// <summary>Sums per day and team set, from the per-call facts: all of them, or one day and team set.</summary>
    private static async Task SumDaysAsync(DbConnection connection, DbTransaction tx, string basis, string column, string where, object? key = null)
    {
        var parameters = new DynamicParameters(key);
        parameters.Add("basisName", basis);
        await connection.ExecuteAsync(
            $"""
            INSERT INTO TrendDayCategory (DateBasis, LocalDay, Teams, CategoryCode, UnmetSum, UnmetSquares)
            SELECT @basisName, t.{column}, t.Teams, cc.CategoryCode, SUM(cc.Unmet), SUM(cc.Unmet * cc.Unmet)
            FROM TrendCallCategory cc JOIN TrendCall t ON t.CallId = cc.CallId
            WHERE 1 = 1 {where}
            GROUP BY t.{column}, t.Teams, cc.CategoryCode
            """, parameters, tx);
        await connection.ExecuteAsync(
            $"""
            INSERT INTO TrendDayCriterion (DateBasis, LocalDay, Teams, CriterionId, Points, Answers)
            SELECT @basisName, t.{column}, t.Teams, sa.CriterionId, sa.Points, COUNT(*)
            FROM ScorecardAnswer sa JOIN TrendCall t ON t.ResultId = sa.ResultId
            WHERE 1 = 1 {where}
            GROUP BY t.{column}, t.Teams, sa.CriterionId, sa.Points
            """, parameters, tx);
    }

    /// <summary>
    /// The teams the call's agent was in when the call took place, as a sorted list ("3,7"); a call that names no
    /// agent account counts for its own team; an agent in no team then, for none ("").
    /// </summary>
    private static string TeamsAt(Source s, ILookup<int, Membership> memberships) =>
        s.AgentUserId is { } agent
            ? string.Join(',', memberships[agent].Where(m => m.FromAt <= s.CallAt && (m.ToAt is null || m.ToAt > s.CallAt)).Select(m => m.TeamId).Distinct().Order())
            : s.TeamId?.ToString(CultureInfo.InvariantCulture) ?? "";
}
