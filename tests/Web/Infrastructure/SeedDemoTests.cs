using System.Net;
using System.Text.RegularExpressions;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Infrastructure;

/// <summary>
/// <c>seed-demo</c> once, then what the demo's people meet: sample calls in teams with their agents (some shared for
/// practice), each role seeing what their journey needs, and exercises a learner can read before answering.
/// </summary>
public sealed class SeedDemoTests(SeedDemoTests.Demo demo) : IClassFixture<SeedDemoTests.Demo>
{
    public sealed class Demo : CallReviewApp, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            using (CreateClient())
            using (var scope = Services.CreateScope())
                Assert.Equal(0, await scope.ServiceProvider.GetServices<ICliCommand>().Single(c => c.Name == "seed-demo").RunAsync([], CancellationToken.None));
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

        public Task<HttpClient> AsAsync(string email) => SignedInAsync(email, DemoContext.Password);

        public async Task<T> QuerySingleAsync<T>(string sql, object? parameters = null)
        {
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            return await connection.QuerySingleAsync<T>(sql, parameters);
        }

        public async Task<List<T>> QueryAsync<T>(string sql, object? parameters = null)
        {
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            return (await connection.QueryAsync<T>(sql, parameters)).ToList();
        }

        /// <summary>The sample call whose title contains <paramref name="title"/>.</summary>
        public async Task<int> SampleAsync(string title) =>
            (await QueryAsync<(int Id, string Title)>("SELECT Id, Title FROM Call WHERE IsSample = 1")).Single(c => c.Title.Contains(title, StringComparison.Ordinal)).Id;
    }

    private sealed class SampleRow
    {
        public string Title { get; init; } = "";
        public string? Team { get; init; }
        public int? AgentUserId { get; init; }
        public bool AgentInTeam { get; init; }
    }

    [Fact]
    public async Task SeedDemo_SampleCalls_BelongToBothTeamsWithAnAgentOfTheTeamAndSomeStayShared()
    {
        var samples = await demo.QueryAsync<SampleRow>(
            """
            SELECT c.Title, t.Name AS Team, c.AgentUserId,
                   CASE WHEN EXISTS (SELECT 1 FROM TeamMember m WHERE m.UserId = c.AgentUserId AND m.TeamId = c.TeamId) THEN 1 ELSE 0 END AS AgentInTeam
            FROM Call c LEFT JOIN Team t ON t.Id = c.TeamId WHERE c.IsSample = 1
            """);

        Assert.Equal(14, samples.Count);
        Assert.Contains(samples, s => s.Team == AccountsDemoSeeder.BillingTeam);
        Assert.Contains(samples, s => s.Team == AccountsDemoSeeder.SupportTeam);
        Assert.InRange(samples.Count(s => s.Team is null), 2, 6);
        foreach (var s in samples.Where(s => s.Team is not null))
            Assert.True(s.AgentUserId is not null && s.AgentInTeam, $"{s.Title}: its agent is not a member of {s.Team}");
        var learner = await demo.QuerySingleAsync<int>("SELECT Id FROM UserAccount WHERE Email = @e", new { e = AccountsDemoSeeder.LearnerEmail });
        Assert.DoesNotContain(samples, s => s.AgentUserId == learner);
    }

    [Fact]
    public async Task SeedDemo_BillingReviewer_SeesBillingAndSharedSamplesWithTheirTeamButNotTechSupports()
    {
        var billing = await demo.QuerySingleAsync<int>("SELECT Id FROM Team WHERE Name = @n", new { n = AccountsDemoSeeder.BillingTeam });
        var ravi = await demo.AsAsync(AccountsDemoSeeder.ReviewerEmail);

        var refund = await ravi.GetStringAsync($"/calls?TeamId={billing}&Q=Rimborso");
        Assert.Matches("Rimborso in ritardo[\\s\\S]*?<td data-label=\"Team\">Billing Care</td>", refund);
        var shared = await ravi.GetStringAsync("/calls?Q=lockout");
        Assert.Equal(2, Regex.Matches(shared, "<td data-label=\"(Agent|Team)\">—</td>").Count);
        Assert.DoesNotContain("Technical fault: broadband down", await ravi.GetStringAsync("/calls?Q=broadband%20down"));
        Assert.Equal(HttpStatusCode.NotFound, (await ravi.GetAsync($"/review/{await demo.SampleAsync("broadband down")}")).StatusCode);

        var sofia = await demo.AsAsync(AccountsDemoSeeder.SupervisorEmail);
        Assert.Matches("broadband down[\\s\\S]*?<td data-label=\"Team\">Tech Support</td>", await sofia.GetStringAsync("/calls?Q=broadband%20down"));
    }

    [Fact]
    public async Task SeedDemo_SearchRimborso_FindsTheItalianRefundCall()
    {
        var refund = await demo.SampleAsync("Rimborso in ritardo");
        var ravi = await demo.AsAsync(AccountsDemoSeeder.ReviewerEmail);

        var html = await ravi.GetStringAsync("/review/search?q=rimborso");

        Assert.Contains($"/review/{refund}?t=", html);
        Assert.Matches(new Regex("<mark>rimborso</mark>", RegexOptions.IgnoreCase), html);
    }

    [Fact]
    public async Task SeedDemo_CzechSample_HasTheExpertsPinsAndAnExerciseInCzech()
    {
        var call = await demo.SampleAsync("Ztracená zásilka");

        var pins = await demo.QueryAsync<string>("SELECT CategoryCode FROM Annotation WHERE CallId = @call AND Kind = 'unmet' ORDER BY StartMs", new { call });
        Assert.Equal(["not-listening", "no-empathy", "no-ownership", "information-not-given", "wrong-information"], pins);
        var exercises = (await demo.QueryAsync<string?>("SELECT Language FROM Exercise WHERE CallId = @call AND Status = 'published'", new { call })).ToList();
        Assert.NotEmpty(exercises);
        Assert.All(exercises, language => Assert.Equal("cs", language));
        var lines = await demo.QueryAsync<string>("SELECT Text FROM Segment WHERE CallId = @call", new { call });
        Assert.Contains(lines, line => line.Contains("reklamaci", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SeedDemo_Learner_PractisesOnEveryTeamsSamplesButOpensNoSampleReview()
    {
        var support = (await demo.QueryAsync<int>(
            "SELECT e.Id FROM Exercise e JOIN Call c ON c.Id = e.CallId JOIN Team t ON t.Id = c.TeamId WHERE t.Name = @n AND e.Status = 'published' ORDER BY e.Id",
            new { n = AccountsDemoSeeder.SupportTeam })).First();
        var leo = await demo.AsAsync(AccountsDemoSeeder.LearnerEmail);

        Assert.Equal(HttpStatusCode.OK, (await leo.GetAsync($"/practice/exercises/{support}")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await leo.GetAsync($"/review/{await demo.SampleAsync("Rimborso in ritardo")}")).StatusCode);
    }

    private sealed class ExerciseRow
    {
        public string Title { get; init; } = "";
        public string Hints { get; init; } = "";
        public string CallTitle { get; init; } = "";
    }

    [Fact]
    public async Task SeedDemo_ExerciseTitlesAndHints_NameNoCategoryAndNotTheCallsTitle()
    {
        var exercises = await demo.QueryAsync<ExerciseRow>("SELECT e.Title, e.Hints, c.Title AS CallTitle FROM Exercise e JOIN Call c ON c.Id = e.CallId");
        var categories = (await demo.QueryAsync<string>("SELECT Name FROM NeedCategory"))
            .SelectMany(n => n.Split(" / ", StringSplitOptions.TrimEntries)).ToList();

        Assert.True(exercises.Count >= 10, $"only {exercises.Count} demo exercises");
        foreach (var e in exercises)
        {
            Assert.DoesNotContain(e.CallTitle, e.Title);
            Assert.DoesNotContain(e.CallTitle.Split(':')[0], e.Title);
            foreach (var text in new[] { e.Title, e.Hints })
                foreach (var category in categories)
                    Assert.False(Regex.IsMatch(text, $@"\b{Regex.Escape(category)}\b", RegexOptions.IgnoreCase), $"\"{text}\" names \"{category}\"");
        }
    }
}
