using System.Net;
using CallReview.Db;
using CallReview.Tests.Db;
using CallReview.Web.Features.Accounts;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Trends;

/// <summary>The dashboard's numbers on a hand-made history, through real HTTP: arithmetic, team at the time, rubric versions, scoping.</summary>
public sealed class DashboardTests(PerDatabase<TrendsFixture> apps) : IClassFixture<PerDatabase<TrendsFixture>>
{
    private const string Week1Unmet = "/trends/evidence?metric=unmet&period=2026-01-05&" + TrendsFixture.Range;
    private const string Week2Unmet = "/trends/evidence?metric=unmet&period=2026-01-12&" + TrendsFixture.Range;

    [DatabaseTheory, DatabaseData]
    public async Task Evidence_UnmetPerCall_IsTheMeanOverCalls_WithItsInputs(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var sue = await app.SignedInAsync("sue@test.local", "supervisor-pass-1");
        var html = await sue.GetStringAsync(Week1Unmet + $"&team={app.Red}");
        Assert.Contains("n = 3, sum = 6, mean = sum / n = 2", html);
        // s = 1, t(0.975, 2) = 4.303: 2 ± 2.4843
        Assert.Contains("half-width = t·s/√n = 2.4843", html);
        Assert.Contains("Fewer than 10 evaluations", html);
    }

    [DatabaseTheory, DatabaseData]
    public async Task TeamAtTheTime_AgentWhoMovedCountsForTheOldTeamBeforeAndTheNewTeamAfter(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var admin = await app.AdminAsync();
        Assert.Contains("n = 5, sum = 12, mean = sum / n = 2.4", await admin.GetStringAsync(Week1Unmet));
        Assert.Contains("n = 2, sum = 6, mean = sum / n = 3", await admin.GetStringAsync(Week1Unmet + $"&team={app.Blue}"));
        Assert.Contains("n = 0", await admin.GetStringAsync(Week2Unmet + $"&team={app.Blue}"));
        Assert.Contains("n = 3, sum = 2, mean = sum / n = 0.6667", await admin.GetStringAsync(Week2Unmet + $"&team={app.Red}"));

        // Blue's supervisor sees Ben's calls from when he was in Blue, and nothing after he left.
        var bob = await app.SignedInAsync("bob@test.local", "supervisor-pass-1");
        Assert.Contains("n = 2, sum = 6", await bob.GetStringAsync(Week1Unmet));
        Assert.Contains("n = 0", await bob.GetStringAsync(Week2Unmet));
    }

    [DatabaseTheory, DatabaseData]
    public async Task Scoping_SupervisorOnlyTheirTeams_AgentOnlyThemselves(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var sue = await app.SignedInAsync("sue@test.local", "supervisor-pass-1");
        Assert.Equal(HttpStatusCode.NotFound, (await sue.GetAsync($"/trends?team={app.Blue}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sue.GetAsync(Week1Unmet + $"&team={app.Blue}")).StatusCode);
        Assert.Contains("n = 3, sum = 6", await sue.GetStringAsync(Week1Unmet));
        var dashboard = await sue.GetStringAsync("/trends?" + TrendsFixture.Range);
        Assert.DoesNotContain(">Blue<", dashboard);

        var ann = await app.SignedInAsync("ann@test.local", "agent-pass-123");
        Assert.Equal(HttpStatusCode.Redirect, (await ann.GetAsync("/trends")).StatusCode);
        Assert.Contains("n = 3, sum = 6", await ann.GetStringAsync(Week1Unmet));
        var others = await ann.GetStringAsync(Week1Unmet + $"&agent={app.Ben}");
        Assert.Contains("n = 0", others);
        Assert.DoesNotContain("Ben Agent", others);
    }

    [DatabaseTheory, DatabaseData]
    public async Task RubricVersionChange_IsMarked_AndScoresStayAsScored(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var sue = await app.SignedInAsync("sue@test.local", "supervisor-pass-1");
        var dashboard = await sue.GetStringAsync("/trends?" + TrendsFixture.Range);
        Assert.Contains("rubric v2", dashboard);
        Assert.Contains("grouped by", dashboard.ToLowerInvariant());
        var week2 = await sue.GetStringAsync("/trends/evidence?metric=score&period=2026-01-12&" + TrendsFixture.Range);
        Assert.Contains("n = 3, sum = 275", week2);
        Assert.Contains("100.0 (rubric v2)", week2);
        var week1 = await sue.GetStringAsync("/trends/evidence?metric=score&period=2026-01-05&" + TrendsFixture.Range);
        Assert.Contains("mean = sum / n = 70", week1);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Evidence_ListsTheMoments_EachOpeningTheReviewAtItsSecond(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var sue = await app.SignedInAsync("sue@test.local", "supervisor-pass-1");
        var html = await sue.GetStringAsync(Week1Unmet + "&category=timeliness");
        Assert.Contains("n = 3, sum = 2", html);
        Assert.Contains($"href=\"/review/{app.AnnFirstCall + 1}?t=14\"", html);
    }

    [DatabaseTheory, DatabaseData]
    public async Task GroupingByReviewDate_IsSaidOnThePage(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var sue = await app.SignedInAsync("sue@test.local", "supervisor-pass-1");
        var html = await sue.GetStringAsync(Week1Unmet + "&date=review");
        Assert.Contains("n = 3, sum = 6", html);
        Assert.Contains("the date the call was reviewed", html);
    }

    [DatabaseTheory, DatabaseData]
    public async Task ChangingAUsersTeams_KeepsTheMembershipHistory(DatabaseProvider database)
    {
        var app = await apps.For(database);
        using var scope = app.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountStore>();
        var id = await accounts.CreateAsync(new NewAccount("mover@test.local", "Mo Ver", "mover-pass-123", ["learner"], [app.Red]));
        await accounts.UpdateAsync(id, "Mo Ver", true, ["learner"], [app.Blue]);
        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        var rows = (await connection.QueryAsync<(int TeamId, DateTimeOffset? ToAt)>(
            "SELECT TeamId, ToAt FROM TeamMembership WHERE UserId = @id ORDER BY Id", new { id })).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(app.Red, rows[0].TeamId);
        Assert.NotNull(rows[0].ToAt);
        Assert.Equal((app.Blue, (DateTimeOffset?)null), rows[1]);
    }
}
