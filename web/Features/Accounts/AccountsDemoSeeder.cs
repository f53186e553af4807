using CallReview.Db;
using CallReview.Samples;
using CallReview.Web.Infrastructure;
using Dapper;

namespace CallReview.Web.Features.Accounts;

/// <summary>Demo teams and people: a supervisor over both teams, a reviewer per team, and made-up agents who are learners.</summary>
public sealed class AccountsDemoSeeder(AccountStore accounts, IDbConnectionFactory db, TimeProvider clock) : IDemoSeeder
{
    public const string SupervisorEmail = "supervisor@" + DemoPeople.Domain;
    public const string ReviewerEmail = "reviewer@" + DemoPeople.Domain;
    public const string LearnerEmail = "learner@" + DemoPeople.Domain;
    public const string BillingTeam = "Billing Care";
    public const string SupportTeam = "Tech Support";

    public int Order => 0;

    public async Task SeedAsync(DemoContext demo, CancellationToken ct)
    {
        if (await accounts.FindByEmailAsync(SupervisorEmail, ct) is not null)
        {
            demo.AlreadyLoaded = true;
            return;
        }
        var billing = await TeamAsync(BillingTeam, ct);
        var support = await TeamAsync(SupportTeam, ct);
        demo.Teams[BillingTeam] = billing;
        demo.Teams[SupportTeam] = support;

        await AddAsync(demo, SupervisorEmail, "Sofia Supervisor", [Roles.Supervisor], [billing, support], ct);
        await AddAsync(demo, ReviewerEmail, "Ravi Reviewer", [Roles.Reviewer], [billing], ct);
        await AddAsync(demo, "reviewer2@" + DemoPeople.Domain, "Rosa Reviewer", [Roles.Reviewer], [support], ct);
        await AddAsync(demo, LearnerEmail, "Leo Learner", [Roles.Learner], [billing], ct);
        var agents = DemoPeople.Agents(6, DemoContext.RandomSeed);
        for (var i = 0; i < agents.Count; i++)
            await AddAsync(demo, agents[i].Email, agents[i].DisplayName, [Roles.Learner], [i % 2 == 0 ? billing : support], ct);
    }

    private async Task AddAsync(DemoContext demo, string email, string name, string[] roles, int[] teams, CancellationToken ct)
    {
        var id = await accounts.CreateAsync(new NewAccount(email, name, DemoContext.Password, roles, teams), ct);
        demo.Users[email] = new DemoUser(id, email, name, roles, teams);
    }

    private async Task<int> TeamAsync(string name, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int?>("SELECT Id FROM Team WHERE Name = @name", new { name })
            ?? await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("Team", "Name, CreatedAt", "@name, @now"), new { name, now = clock.GetUtcNow() });
    }
}
