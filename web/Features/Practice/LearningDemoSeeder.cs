using CallReview.Db;
using CallReview.Samples;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Exercises;
using CallReview.Web.Infrastructure;
using Dapper;

namespace CallReview.Web.Features.Practice;

/// <summary>
/// Demo learning data (after the sample calls): the demo supervisor builds, through the builder's own rules, a
/// "spot the unmet need" exercise from every sample with unmet annotations, a "what great looks like" exercise
/// from every sample with exemplary ones, and a comparison exercise from every <c>comparesWith</c> pair; all are
/// published to the demo teams. Learners get a few days of attempts (scored by the real rules), one assignment,
/// a certification and a story in a discussion, so every learning page has something to show.
/// </summary>
public sealed class LearningDemoSeeder(
    IDbConnectionFactory db,
    EditExercise.Handler builder,
    AssignExercise.Handler assignments,
    Certifications.Handler certifications,
    LearnerExercises.Handler learnerExercises,
    SubmitAttempt.Handler attempts,
    Discussion.Handler discussion,
    IConfiguration configuration,
    IWebHostEnvironment environment,
    ILogger<LearningDemoSeeder> logger) : IDemoSeeder
{
    public int Order => 50;

    private static readonly string[] Critiques =
    [
        "The agent never acknowledged how the customer felt and gave no date or ownership for the fix.",
        "The customer asked twice and the agent talked over them instead of listening.",
        "Wrong information about the refund; the agent should have checked before answering.",
        "Good empathy early on, but the call ended without a clear next step.",
    ];

    public async Task SeedAsync(DemoContext demo, CancellationToken ct)
    {
        if (demo.AlreadyLoaded || demo.SampleCalls.Count == 0)
            return;
        await using (var connection = await db.OpenAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Exercise") > 0)
                return;
        }
        var supervisor = AsCurrent(demo.InRole(Roles.Supervisor).First());
        var directory = SampleCallLibrary.FindDirectory(configuration["CallReview:SamplesDirectory"], AppContext.BaseDirectory, environment.ContentRootPath);
        var samples = directory is null ? [] : SampleCallLibrary.Load(directory).Where(s => demo.SampleCalls.ContainsKey(s.Slug)).ToList();

        var created = new List<int>();
        foreach (var sample in samples)
        {
            var callId = demo.SampleCalls[sample.Slug];
            var unmet = sample.Annotations.Count(a => a.Kind == "unmet");
            if (unmet > 0)
                created.AddRange(await BuildAsync(supervisor, callId, "spot", null, null, sample, difficulty: unmet >= 4 ? 1 : unmet >= 2 ? 2 : 3, ct));
            if (sample.Annotations.Any(a => a.Kind == "exemplary"))
                created.AddRange(await BuildAsync(supervisor, callId, "exemplary", null, null, sample, difficulty: 1, ct));
        }
        foreach (var sample in samples.Where(s => s.ComparesWith is { } other && demo.SampleCalls.ContainsKey(other) && string.CompareOrdinal(s.Slug, other) < 0))
        {
            var other = samples.First(s => s.Slug == sample.ComparesWith);
            var better = sample.Annotations.Count(a => a.Kind == "unmet") <= other.Annotations.Count(a => a.Kind == "unmet") ? "a" : "b";
            created.AddRange(await BuildAsync(supervisor, demo.SampleCalls[sample.Slug], "comparison", demo.SampleCalls[other.Slug], better, sample, difficulty: 2, ct));
        }
        logger.LogInformation("Demo exercises: {Count}", created.Count);
        if (created.Count == 0)
            return;

        foreach (var team in demo.Teams.Values)
            await assignments.AssignAsync(created[0], new AssignExercise.Form { TeamId = team, Due = DateOnly.FromDateTime(demo.Now.UtcDateTime.AddDays(3)), Note = "Warm-up for this week" }, supervisor, ct);
        await certifications.CreateAsync(new Certifications.Form { Name = "Spotting basics", Threshold = 70, ExerciseIds = created.Take(3).ToList() }, supervisor, ct);

        foreach (var learner in demo.InRole(Roles.Learner))
            await HistoryAsync(demo, AsCurrent(learner), ct);
    }

    private async Task<IEnumerable<int>> BuildAsync(CurrentUser supervisor, int callId, string kind, int? secondCallId, string? betterSide,
        SampleCall sample, int difficulty, CancellationToken ct)
    {
        if (await builder.NewAsync(callId, kind, secondCallId, supervisor, ct) is not { } model)
            return [];
        var form = model.Form;
        if (kind == "comparison")
        {
            // The answer is where the worse call went wrong.
            var worse = betterSide == "a" ? secondCallId : callId;
            form.AnswerIds = model.Annotations.Where(a => a.CallId == worse && a.Kind == "unmet").Select(a => a.Id).ToList();
            form.Tags = model.Annotations.Where(a => form.AnswerIds.Contains(a.Id)).Select(a => a.CategoryCode).Distinct().ToList();
            form.BetterSide = betterSide;
        }
        form.Difficulty = difficulty;
        form.ModelAnswer = sample.ModelAnswer ?? "";
        // Where to listen and what to think about, never what went wrong (a sample's scenario says that).
        form.Hints = kind switch
        {
            "exemplary" => "Listen for the moments the customer relaxes.",
            "comparison" => "Listen to how each agent answers the same need, and to what the customer has once the call ends.",
            _ => "Listen for what the customer needs, and for the moment the call stops giving it to them.",
        };
        form.Publish = true;
        var saved = await builder.SaveAsync(form, supervisor, ct);
        if (!saved.IsDone)
            logger.LogWarning("Demo exercise for {Slug} not built: {Errors}", sample.Slug, string.Join("; ", saved.Errors.Values));
        return saved.IsDone ? [saved.Value] : [];
    }

    /// <summary>A few days of practice: pins near the answers with human-sized errors, scored by the real rules.</summary>
    private async Task HistoryAsync(DemoContext demo, CurrentUser learner, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var ids = (await connection.QueryAsync<int>(
            $"SELECT e.Id FROM Exercise e WHERE {LearnerExercises.PublishedTo} ORDER BY e.Id", new { LearnerId = learner.Id })).ToList();
        var random = demo.Random;
        var days = Enumerable.Range(1, 9).OrderBy(_ => random.Next()).Take(random.Next(3, 6)).OrderDescending().ToList();
        foreach (var day in days)
        {
            if (ids.Count == 0 || await learnerExercises.FindAsync(ids[random.Next(ids.Count)], learner, ct) is not { } exercise)
                continue;
            var answers = await learnerExercises.AnswersAsync(exercise.Id, ct);
            var pins = answers.Where(_ => random.NextDouble() < 0.75)
                .Select(a => new AttemptScoring.Pin(a.Side, Math.Max(0, a.StartMs + random.Next(-8000, 8000)),
                    random.NextDouble() < 0.7 ? a.CategoryCode : answers[random.Next(answers.Count)].CategoryCode))
                .ToList();
            var form = new SubmitAttempt.Form
            {
                Critique = Critiques[random.Next(Critiques.Length)],
                WouldHaveSaid = "I'm sorry this happened. I'll sort it out now and call you back by five today.",
                ChosenSide = exercise.Kind == "comparison" ? (random.NextDouble() < 0.8 ? exercise.BetterSide : "a") : null,
            };
            var at = demo.Now.AddDays(-day).AddHours(-random.Next(0, 6));
            await attempts.RecordAsync(exercise, learner.Id, pins, form, at, ct);
        }
        if (days.Count > 0 && random.NextDouble() < 0.5)
        {
            var done = await connection.ExecuteScalarAsync<int?>("SELECT MAX(ExerciseId) FROM Attempt WHERE UserId = @Id", new { learner.Id });
            if (done is { } exerciseId)
                await discussion.PostAsync(exerciseId, null, learner,
                    "Had one just like this last month: I said sorry first, gave my name and a callback time, and the customer calmed down straight away.", ct);
        }
    }

    internal static CurrentUser AsCurrent(DemoUser user) =>
        new(user.Id, user.Email, user.DisplayName, user.Roles.ToHashSet(), user.TeamIds.ToHashSet());
}
