using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Practice;
using CallReview.Web.Infrastructure;
using Dapper;

namespace CallReview.Web.Features.Trends;

/// <summary>
/// Fourteen weeks of history so the trends tell a story on first run: agents who improve (their weak category
/// fading), agents who hold steady and one who slips; a spike of wrong information in Billing Care after an
/// unbriefed price change; a rubric version 2 half-way; one agent moving from Tech Support to Billing Care;
/// calibrations getting tighter; disputes; and weekly practice whose accuracy improves for the improvers, with
/// fortnightly assignments. The sample calls with real audio are left as they are.
/// </summary>
public sealed class TrendsDemoSeeder(
    IDbConnectionFactory db,
    TrendHistory history,
    LearnerExercises.Handler learnerExercises,
    SubmitAttempt.Handler attempts,
    TrendFactStore facts,
    ILogger<TrendsDemoSeeder> logger) : IDemoSeeder
{
    public const int Weeks = 14;

    public int Order => 60;

    public async Task SeedAsync(DemoContext demo, CancellationToken ct)
    {
        if (demo.AlreadyLoaded || !demo.Teams.TryGetValue(AccountsDemoSeeder.BillingTeam, out var billing) || !demo.Teams.TryGetValue(AccountsDemoSeeder.SupportTeam, out var support))
            return;
        var monday = Periods.StartOf(DateOnly.FromDateTime(demo.Now.UtcDateTime), "week");
        var start = new DateTimeOffset(monday.AddDays(-7 * (Weeks - 1)).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var learners = demo.InRole(Roles.Learner).ToList();
        var moveAt = start.AddDays(7 * 8 + 2);
        DemoUser? mover;

        await using (var connection = await db.OpenAsync(ct))
        {
            // The one who moves has no sample call: a sample's team stays the team its agent is in.
            var sampleAgents = (await connection.QueryAsync<int>("SELECT AgentUserId FROM Call WHERE IsSample = 1 AND AgentUserId IS NOT NULL")).ToHashSet();
            mover = learners.FirstOrDefault(l => l.TeamIds.Contains(support) && !sampleAgents.Contains(l.Id));
            // The demo people have been in their teams since before the history starts; one of them moves.
            await connection.ExecuteAsync("UPDATE TeamMembership SET FromAt = @from WHERE ToAt IS NULL AND UserId IN @ids",
                new { from = start.AddDays(-30), ids = demo.Users.Values.Select(u => u.Id).ToList() });
            if (mover is not null)
            {
                await connection.ExecuteAsync("UPDATE TeamMembership SET ToAt = @moveAt WHERE UserId = @Id AND TeamId = @support AND ToAt IS NULL", new { moveAt, mover.Id, support });
                await connection.ExecuteAsync("INSERT INTO TeamMembership (UserId, TeamId, FromAt) VALUES (@Id, @billing, @moveAt)", new { mover.Id, billing, moveAt });
                await connection.ExecuteAsync("DELETE FROM TeamMember WHERE UserId = @Id", new { mover.Id });
                await connection.ExecuteAsync("INSERT INTO TeamMember (TeamId, UserId) VALUES (@billing, @Id)", new { billing, mover.Id });
            }
        }

        var agents = learners.Select((l, i) => new TrendHistory.Agent(l.Id, l.DisplayName, TrendHistory.Profiles[i % TrendHistory.Profiles.Count],
            l == mover ? [(support, start.AddDays(-30)), (billing, moveAt)] : [(l.TeamIds[0], start.AddDays(-30))])).ToList();
        var reviewers = demo.InRole(Roles.Reviewer).ToList();
        var summary = await history.GenerateAsync(new TrendHistory.Plan
        {
            Seed = DemoContext.RandomSeed,
            Start = start,
            End = demo.Now,
            Agents = agents,
            Reviewers = demo.Teams.Values.ToDictionary(t => t, t => (IReadOnlyList<int>)reviewers.Where(r => r.TeamIds.Contains(t)).Select(r => r.Id).ToList()),
            SupervisorId = demo.InRole(Roles.Supervisor).First().Id,
            CallsPerAgentPerWeekday = 1.6,
            RubricChangeAt = start.AddDays(7 * 7 + 2),
            Spike = (billing, start.AddDays(7 * 9), start.AddDays(7 * 11)),
        }, ct);
        demo.Calls.AddRange(summary.CallIds);
        // The history is written in bulk, beside the review handlers: its facts are built in one go.
        await facts.RebuildAsync(ct);
        logger.LogInformation("Demo history: {Calls} calls, {Reviews} reviews, {Annotations} annotations, {Disputes} disputes, {Sessions} calibration sessions",
            summary.CallIds.Count, summary.Reviews, summary.Annotations, summary.Disputes, summary.CalibrationSessions);
        await PracticeAsync(demo, agents, start, ct);
    }

    /// <summary>Weekly practice on the demo exercises, scored by the real rules: the improvers pin closer and name the category more often as weeks pass.</summary>
    private async Task PracticeAsync(DemoContext demo, IReadOnlyList<TrendHistory.Agent> agents, DateTimeOffset start, CancellationToken ct)
    {
        var random = new Random(DemoContext.RandomSeed + 11);
        var supervisor = demo.InRole(Roles.Supervisor).First();
        foreach (var agent in agents)
        {
            var learner = LearningDemoSeeder.AsCurrent(demo.Users.Values.First(u => u.Id == agent.UserId));
            List<int> ids;
            await using (var connection = await db.OpenAsync(ct))
                ids = (await connection.QueryAsync<int>($"SELECT e.Id FROM Exercise e WHERE {LearnerExercises.PublishedTo} AND e.Kind = 'spot' ORDER BY e.Id", new { LearnerId = learner.Id })).ToList();
            if (ids.Count == 0)
                continue;
            var improving = agent.Profile.EndRate < agent.Profile.StartRate;
            for (var week = 0; week < Weeks - 1; week++)
            {
                var progress = week / (double)(Weeks - 1);
                foreach (var day in Enumerable.Range(0, 5).Where(_ => random.NextDouble() < 0.45))
                {
                    var at = start.AddDays(7 * week + day).AddHours(9 + random.Next(0, 8));
                    if (at >= demo.Now.AddDays(-10) || await learnerExercises.FindAsync(ids[random.Next(ids.Count)], learner, ct) is not { } exercise)
                        continue;
                    var skill = improving ? 0.45 + 0.45 * progress : 0.6;
                    var answers = await learnerExercises.AnswersAsync(exercise.Id, ct);
                    var pins = answers.Where(_ => random.NextDouble() < 0.5 + 0.45 * skill)
                        .Select(a => new AttemptScoring.Pin(a.Side, Math.Max(0, a.StartMs + (long)((random.NextDouble() * 2 - 1) * (12_000 * (1 - skill) + 1_000))),
                            random.NextDouble() < skill ? a.CategoryCode : answers[random.Next(answers.Count)].CategoryCode))
                        .ToList();
                    var form = new SubmitAttempt.Form
                    {
                        Critique = random.NextDouble() < skill
                            ? "The customer's worry was never acknowledged and nobody took ownership of the follow-up."
                            : "The agent could have been nicer.",
                        WouldHaveSaid = "I'm sorry, I'll own this: you'll have a call back from me by five today.",
                    };
                    await attempts.RecordAsync(exercise, learner.Id, pins, form, at, ct);
                }
            }
        }
        await using var db2 = await db.OpenAsync(ct);
        // Fortnightly assignments: each team gets an exercise due five days later.
        var exerciseIds = (await db2.QueryAsync<int>("SELECT Id FROM Exercise WHERE Status = 'published' AND Kind = 'spot' ORDER BY Id")).ToList();
        if (exerciseIds.Count == 0)
            return;
        for (var week = 1; week < Weeks - 1; week += 2)
            foreach (var team in demo.Teams.Values)
            {
                var exerciseId = exerciseIds[(week + team) % exerciseIds.Count];
                var created = start.AddDays(7 * week);
                var due = created.AddDays(5);
                await db2.ExecuteAsync("INSERT INTO Assignment (ExerciseId, TeamId, UserId, AssignedByUserId, DueAt, Note, CreatedAt) VALUES (@exerciseId, @team, NULL, @Id, @due, 'This fortnight''s focus', @created)",
                    new { exerciseId, team, supervisor.Id, due, created });
                foreach (var agent in agents.Where(a => a.Teams.Where(t => t.From <= due).Last().TeamId == team && random.NextDouble() < 0.75))
                {
                    var learner = LearningDemoSeeder.AsCurrent(demo.Users.Values.First(u => u.Id == agent.UserId));
                    if (await learnerExercises.FindAsync(exerciseId, learner, ct) is not { } exercise)
                        continue;
                    var answers = await learnerExercises.AnswersAsync(exercise.Id, ct);
                    var pins = answers.Select(a => new AttemptScoring.Pin(a.Side, a.StartMs + random.Next(-4000, 4000), a.CategoryCode)).ToList();
                    await attempts.RecordAsync(exercise, learner.Id, pins, new SubmitAttempt.Form
                    {
                        Critique = "Nobody acknowledged the customer's frustration or took ownership of the follow-up call.",
                        WouldHaveSaid = "I'm sorry this happened; I'll make sure it's fixed and call you back myself.",
                    }, created.AddDays(random.Next(1, 5)).AddHours(10), ct);
                }
            }
    }
}
