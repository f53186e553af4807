using System.Diagnostics;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Review;
using CallReview.Web.Infrastructure;
using Dapper;

namespace CallReview.Web.Features.Trends;

/// <summary>
/// <c>trends-benchmark [--calls 100000] [--annotations 1000000] [--keep]</c>: builds that volume of history in a
/// scratch SQLite database (a year, 20 teams, about 200 agents) and prints how long each trends view takes to
/// answer, best of three, with the same handlers the pages use. The scratch database is deleted unless --keep.
/// </summary>
public sealed class TrendsBenchmarkCommand : ICliCommand
{
    public string Name => "trends-benchmark";
    public string Usage => "trends-benchmark [--calls 100000] [--annotations 1000000] [--keep]";
    public bool UsesDatabase => false;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var calls = TranscriptionArguments.PositiveNumber(args, "--calls", 100_000);
        var annotations = TranscriptionArguments.PositiveNumber(args, "--annotations", 1_000_000);
        var folder = Directory.CreateTempSubdirectory("callreview-trends-benchmark-").FullName;
        try
        {
            using var db = new DbConnectionFactory(DatabaseOptions.Sqlite(folder));
            await new Migrator(db).MigrateAsync(ct);
            var now = DateTimeOffset.UtcNow;
            var start = now.AddDays(-364);
            var agentCount = Math.Max(4, (int)Math.Round(calls / 520.0));
            var (supervisor, admin, plan) = await PeopleAsync(db, agentCount, start, ct);
            var weekdays = Enumerable.Range(0, 364).Count(d => start.AddDays(d).DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
            // Profiles average about 1.6 unmet needs and 0.6 model moments per call; scale to the annotations asked for.
            var perReviewedCall = annotations / (calls * 0.85);
            var watch = Stopwatch.StartNew();
            var summary = await new TrendHistory(db).GenerateAsync(new TrendHistory.Plan
            {
                Seed = DemoContext.RandomSeed,
                Start = start,
                End = now,
                Agents = plan.Agents,
                Reviewers = plan.Reviewers,
                SupervisorId = supervisor.Id,
                CallsPerAgentPerWeekday = calls / (double)(agentCount * weekdays),
                RateScale = Math.Max(0.1, (perReviewedCall - 0.6) / 1.6),
                RubricChangeAt = start.AddDays(180),
                Spike = (plan.Reviewers.Keys.First(), start.AddDays(200), start.AddDays(214)),
                Transcripts = false,
            }, ct);
            Console.WriteLine($"scratch SQLite database {folder}: {summary.CallIds.Count} calls, {summary.Reviews} reviews, {summary.Annotations} annotations, " +
                              $"{summary.Disputes} disputes, {summary.CalibrationSessions} calibration sessions, {agentCount} agents in 20 teams; built in {watch.Elapsed.TotalSeconds:0} s");

            var configuration = new ConfigurationBuilder().Build();
            watch.Restart();
            await new TrendFactStore(db, configuration, Microsoft.Extensions.Logging.Abstractions.NullLogger<TrendFactStore>.Instance).RebuildAsync(ct);
            Console.WriteLine($"trend facts rebuilt from the reviews in {watch.Elapsed.TotalSeconds:0.0} s");
            var facts = new TrendFacts.Handler(db);
            var categories = new NeedCategories.Handler(db);
            var dashboard = new Dashboard.Handler(db, facts, categories, configuration, TimeProvider.System);
            var evidence = new Evidence.Handler(db, facts, configuration, TimeProvider.System);
            var review = new AgentReview.Handler(db, facts, categories, configuration, TimeProvider.System);
            var export = new TrendsExport.Handler(db, configuration, TimeProvider.System);
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var lastWeek = Periods.StartOf(today, "week").AddDays(-7);
            var team = plan.Reviewers.Keys.First();
            var agent = plan.Agents[0].UserId;

            Console.WriteLine();
            // CPU time is printed beside wall time: on a shared machine the wall clock also counts waiting for a core.
            Console.WriteLine("view (SQLite, best of 3)                                wall ms   CPU ms");
            await TimeAsync("dashboard, all teams, 12 weeks by week (admin)", () => dashboard.LoadAsync(new TrendFilter(), admin, ct));
            await TimeAsync("dashboard, one supervisor's team, 12 weeks", () => dashboard.LoadAsync(new TrendFilter(), supervisor, ct));
            await TimeAsync("dashboard, all teams, 52 weeks by month", () => dashboard.LoadAsync(new TrendFilter { From = today.AddDays(-364), By = "month" }, admin, ct));
            await TimeAsync("dashboard, all teams, 12 weeks by review date", () => dashboard.LoadAsync(new TrendFilter { Date = "review" }, admin, ct));
            await TimeAsync("dashboard, one agent, 12 weeks", () => dashboard.LoadAsync(new TrendFilter { Agent = agent }, admin, ct));
            await TimeAsync("evidence: unmet needs, one week, all teams", () => evidence.LoadAsync(new TrendFilter(), "unmet", lastWeek, admin, ct));
            await TimeAsync("agent performance review, 12 weeks", () => review.LoadAsync(agent, new TrendFilter(), admin, ct));
            await TimeAsync("annotations.csv, one team, 12 weeks", () => export.WriteAnnotationsAsync(new TrendFilter { Team = team }, admin, Stream.Null, () => { }, ct));
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (!CommandLine.Flag(args, "--keep"))
                Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task TimeAsync<T>(string label, Func<Task<T>> view)
    {
        double wall = double.MaxValue, cpu = double.MaxValue;
        var process = Process.GetCurrentProcess();
        for (var i = 0; i < 3; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await view();
            wall = Math.Min(wall, watch.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu = Math.Min(cpu, (process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }
        Console.WriteLine($"{label,-55} {wall,7:0}  {cpu,7:0}");
    }

    /// <summary>20 teams with a reviewer each, agents spread over them, one supervisor of the first team and an admin.</summary>
    private static async Task<(CurrentUser Supervisor, CurrentUser Admin, (List<TrendHistory.Agent> Agents, Dictionary<int, IReadOnlyList<int>> Reviewers) Plan)> PeopleAsync(
        IDbConnectionFactory db, int agentCount, DateTimeOffset start, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var since = start.AddDays(-30);
        async Task<int> UserAsync(string name, string role, int? teamId)
        {
            var id = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("UserAccount",
                "Email, DisplayName, PasswordHash, SecurityStamp, CreatedAt", "@email, @name, '-', '-', @since"),
                new { email = $"{name.Replace(' ', '.').ToLowerInvariant()}@benchmark.local", name, since });
            await connection.ExecuteAsync("INSERT INTO UserRole (UserId, Role) VALUES (@id, @role)", new { id, role });
            if (teamId is { } team)
            {
                await connection.ExecuteAsync("INSERT INTO TeamMember (TeamId, UserId) VALUES (@team, @id)", new { team, id });
                await connection.ExecuteAsync("INSERT INTO TeamMembership (UserId, TeamId, FromAt) VALUES (@id, @team, @since)", new { id, team, since });
            }
            return id;
        }
        var teams = new List<int>();
        var reviewers = new Dictionary<int, IReadOnlyList<int>>();
        for (var t = 1; t <= 20; t++)
        {
            var team = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("Team", "Name, CreatedAt", "@name, @since"), new { name = $"Team {t:00}", since });
            teams.Add(team);
            reviewers[team] = [await UserAsync($"Reviewer {t:00}", Roles.Reviewer, team)];
        }
        var agents = new List<TrendHistory.Agent>();
        for (var a = 0; a < agentCount; a++)
        {
            var team = teams[a % teams.Count];
            var name = $"Agent {a:000}";
            agents.Add(new TrendHistory.Agent(await UserAsync(name, Roles.Learner, team), name, TrendHistory.Profiles[a % TrendHistory.Profiles.Count], [(team, since)]));
        }
        var supervisorId = await UserAsync("Supervisor", Roles.Supervisor, teams[0]);
        var adminId = await UserAsync("Admin", Roles.Admin, null);
        return (new CurrentUser(supervisorId, "supervisor@benchmark.local", "Supervisor", new HashSet<string> { Roles.Supervisor }, new HashSet<int> { teams[0] }),
            new CurrentUser(adminId, "admin@benchmark.local", "Admin", new HashSet<string> { Roles.Admin }, new HashSet<int>()),
            (agents, reviewers));
    }
}
