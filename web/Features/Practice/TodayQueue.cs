using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Practice;

/// <summary>
/// Little and often: today's few exercises for a learner. Open assignments come first (earliest due), then
/// exercises already done that are tagged with categories the practice schedule says are due, then exercises not
/// tried yet (easiest first). What was done today stays on the list, ticked, so the list does not refill itself endlessly.
/// </summary>
public static class TodayQueue
{
    public const int DailySize = 3;

    public sealed class Exercise
    {
        public int Id { get; init; }
        public string Title { get; init; } = "";
        public string Kind { get; init; } = "";
        public int Difficulty { get; init; }
        public DateTimeOffset? LastAttemptAt { get; init; }
        public string? Language { get; init; }
    }

    public sealed class Tag
    {
        public int ExerciseId { get; init; }
        public string CategoryCode { get; init; } = "";
    }

    public sealed class DueCategory
    {
        public string CategoryCode { get; init; } = "";
        public string Name { get; init; } = "";
        public string MetName { get; init; } = "";
        public DateTimeOffset DueAt { get; init; }
    }

    public sealed class OpenAssignment
    {
        public int ExerciseId { get; init; }
        public string Title { get; init; } = "";
        public DateTimeOffset DueAt { get; init; }
        public string Note { get; init; } = "";
    }

    public sealed class Done
    {
        public int ExerciseId { get; init; }
        public int AttemptId { get; init; }
        public double Score { get; init; }
    }

    /// <summary>An exercise of today's list and why it is there (in English: the key of its translation), with the categories it brings back.</summary>
    public sealed record Item(Exercise Exercise, string Reason, Done? Done, string Categories = "");

    public sealed record Model(
        IReadOnlyList<Item> Items,
        IReadOnlyList<Exercise> All,
        IReadOnlyList<OpenAssignment> Assignments,
        IReadOnlyList<DueCategory> DueCategories,
        int MasteredCategories,
        int Points,
        int Streak,
        IReadOnlyList<Profile.Badge> Badges,
        IReadOnlyList<Profile.CertificationStatus> Certifications,
        DateTimeOffset Now,
        IReadOnlyList<string> SpokenLanguages,
        string? Language);

    /// <summary>Today's list: done items, then assignments, due categories and new exercises to fill up to <see cref="DailySize"/>.</summary>
    public static IReadOnlyList<Item> Pick(IReadOnlyList<Exercise> exercises, ILookup<int, string> tags, IReadOnlyList<Done> doneToday,
        IReadOnlyList<OpenAssignment> assignments, IReadOnlyCollection<DueCategory> due, DateTimeOffset now)
    {
        var byId = exercises.ToDictionary(e => e.Id);
        var items = doneToday.Where(d => byId.ContainsKey(d.ExerciseId)).Select(d => new Item(byId[d.ExerciseId], "done today", d)).ToList();
        var taken = items.Select(i => i.Exercise.Id).ToHashSet();
        void Add(Exercise exercise, string reason, string categories = "")
        {
            if (items.Count < DailySize && taken.Add(exercise.Id))
                items.Add(new Item(exercise, reason, null, categories));
        }
        foreach (var assignment in assignments.OrderBy(a => a.DueAt))
            if (byId.TryGetValue(assignment.ExerciseId, out var exercise))
                Add(exercise, assignment.DueAt < now ? "assigned · overdue" : "assigned");
        var dueCodes = due.Where(d => d.DueAt <= now).Select(d => d.CategoryCode).ToHashSet();
        // Only exercises the learner has done come back by category: naming (or even implying) the categories of one
        // not yet attempted would give its answer away. Those come in as "new".
        foreach (var exercise in exercises.Where(e => e.LastAttemptAt is not null && tags[e.Id].Any(dueCodes.Contains))
                     .OrderBy(e => e.LastAttemptAt ?? DateTimeOffset.MinValue).ThenBy(e => e.Difficulty).ThenBy(e => e.Id))
            Add(exercise, "practise again", string.Join(", ", due.Where(d => tags[exercise.Id].Contains(d.CategoryCode))
                .Select(d => exercise.Kind == "exemplary" && d.MetName.Length > 0 ? d.MetName : d.Name)));
        foreach (var exercise in exercises.Where(e => e.LastAttemptAt is null).OrderBy(e => e.Difficulty).ThenBy(e => e.Id))
            Add(exercise, "new");
        return items;
    }

    public sealed class Handler(IDbConnectionFactory db, Profile.Handler profile, TimeProvider clock)
    {
        /// <summary>Today's practice; the library of every exercise only in <paramref name="language"/> when one is given.</summary>
        public async Task<Model> LoadAsync(CurrentUser user, CancellationToken ct, string? language = null)
        {
            var now = clock.GetUtcNow();
            var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
            var p = new { LearnerId = user.Id, now, today };
            await using var connection = await db.OpenAsync(ct);
            var exercises = (await connection.QueryAsync<Exercise>(
                $"""
                SELECT e.Id, e.Title, e.Kind, e.Difficulty, e.Language,
                       (SELECT MAX(a.SubmittedAt) FROM Attempt a WHERE a.ExerciseId = e.Id AND a.UserId = @LearnerId) AS LastAttemptAt
                FROM Exercise e WHERE {LearnerExercises.PublishedTo}
                """, p)).ToList();
            var tags = (await connection.QueryAsync<Tag>(
                $"SELECT t.ExerciseId, t.CategoryCode FROM ExerciseTag t JOIN Exercise e ON e.Id = t.ExerciseId WHERE {LearnerExercises.PublishedTo}", p))
                .ToLookup(t => t.ExerciseId, t => t.CategoryCode);
            var done = (await connection.QueryAsync<Done>(
                """
                SELECT a.ExerciseId, a.Id AS AttemptId, a.Score FROM Attempt a
                WHERE a.UserId = @LearnerId AND a.SubmittedAt >= @today
                  AND a.Id = (SELECT MAX(b.Id) FROM Attempt b WHERE b.ExerciseId = a.ExerciseId AND b.UserId = a.UserId)
                ORDER BY a.Id
                """, p)).ToList();
            var assignments = (await connection.QueryAsync<OpenAssignment>(
                $"""
                SELECT a.ExerciseId, e.Title, MIN(a.DueAt) AS DueAt, MAX(a.Note) AS Note
                FROM Assignment a JOIN Exercise e ON e.Id = a.ExerciseId
                WHERE {LearnerExercises.PublishedTo}
                  AND (a.UserId = @LearnerId OR (a.UserId IS NULL AND a.TeamId IN (SELECT TeamId FROM TeamMember WHERE UserId = @LearnerId)))
                  AND NOT EXISTS (SELECT 1 FROM Attempt t WHERE t.ExerciseId = a.ExerciseId AND t.UserId = @LearnerId AND t.SubmittedAt >= a.CreatedAt)
                GROUP BY a.ExerciseId, e.Title
                ORDER BY MIN(a.DueAt)
                """, p)).ToList();
            var due = (await connection.QueryAsync<DueCategory>(
                $"""
                SELECT s.CategoryCode, {ContentNames.Sql(ContentNames.Category, "c.Code", "c.Name")} AS Name,
                       {ContentNames.Sql(ContentNames.CategoryMet, "c.Code", "c.MetName")} AS MetName, s.DueAt FROM PracticeSchedule s JOIN NeedCategory c ON c.Code = s.CategoryCode
                WHERE s.UserId = @LearnerId AND s.DueAt IS NOT NULL ORDER BY s.DueAt
                """, p)).ToList();
            var mastered = await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM PracticeSchedule WHERE UserId = @LearnerId AND MasteredAt IS NOT NULL AND DueAt IS NULL", p);
            var summary = await profile.LoadAsync(user.Id, ct);
            var library = exercises.Where(e => string.IsNullOrEmpty(language) || e.Language == language).OrderBy(e => e.Difficulty).ThenBy(e => e.Title).ToList();
            var spoken = exercises.Select(e => e.Language).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
            return new Model(Pick(exercises, tags, done, assignments, due, now), library, assignments, due, mastered,
                summary.Points, summary.Streak, summary.Badges, summary.Certifications, now, spoken, string.IsNullOrEmpty(language) ? null : language);
        }
    }
}
