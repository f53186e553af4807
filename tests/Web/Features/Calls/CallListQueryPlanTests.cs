using CallReview.Db;
using CallReview.Tests.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using Dapper;

namespace CallReview.Tests.Web.Features.Calls;

/// <summary>
/// The calls list's page query as SQLite plans it: newest first along IX_Call_CallAt, stopping after the page, not every
/// visible call gathered through the team and agent indexes (MULTI-INDEX OR) and sorted.
/// </summary>
public sealed class CallListQueryPlanTests
{
    public static TheoryData<string> Viewers => new() { Roles.Reviewer, Roles.Supervisor, Roles.Admin };

    [Theory, MemberData(nameof(Viewers))]
    public async Task PageQuery_WalksTheCallTimeIndex(string role)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var db = await database.MigratedAsync();
        await using var connection = await db.OpenAsync();
        var user = new CurrentUser(1, "u@test.local", "U", new HashSet<string> { role }, new HashSet<int> { 1 });
        var (sql, parameters) = CallList.Handler.PageQuery(SqlDialect.Sqlite, new CallList.Filter { Page = 3 }, user);

        var plan = (await connection.QueryAsync("EXPLAIN QUERY PLAN " + sql, parameters)).Select(row => (string)row.detail).ToList();

        Assert.Contains("SCAN c USING INDEX IX_Call_CallAt", plan);
        Assert.DoesNotContain(plan, step => step.Contains("MULTI-INDEX OR", StringComparison.Ordinal));
    }
}
