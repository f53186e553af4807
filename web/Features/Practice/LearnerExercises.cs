using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Exercises;
using CallReview.Web.Features.Review;
using Dapper;

namespace CallReview.Web.Features.Practice;

/// <summary>
/// Which exercises a learner may open (published to one of their teams) and the server-side facts about one.
/// <see cref="ExerciseRecord"/> holds the scoring rules too, so it never goes into a view: pages copy what they show.
/// </summary>
public static class LearnerExercises
{
    /// <summary>SQL condition on alias <c>e</c>: published to a team the user (<c>@LearnerId</c>) belongs to.</summary>
    public const string PublishedTo =
        "e.Status = 'published' AND EXISTS (SELECT 1 FROM ExerciseTeam et JOIN TeamMember tm ON tm.TeamId = et.TeamId WHERE et.ExerciseId = e.Id AND tm.UserId = @LearnerId)";

    /// <summary>
    /// SQL condition on alias <c>e</c>: open to the learner (<c>@LearnerId</c>), built on the call <paramref name="callId"/>
    /// (a column or parameter), and not yet submitted by them. While one is, the call's review would give its answer away.
    /// </summary>
    public static string AwaitingAttemptOn(string callId) =>
        $"(e.CallId = {callId} OR e.SecondCallId = {callId}) AND {PublishedTo} " +
        "AND NOT EXISTS (SELECT 1 FROM Attempt t WHERE t.ExerciseId = e.Id AND t.UserId = @LearnerId)";

    public sealed class Answer
    {
        public int Id { get; init; }
        public string Side { get; init; } = "";
        public string Kind { get; init; } = "";
        public long StartMs { get; init; }
        public long? EndMs { get; init; }
        public string CategoryCode { get; init; } = "";
        public string CategoryName { get; init; } = "";
        public int? Severity { get; init; }
        public string Quote { get; init; } = "";
        public string Expected { get; init; } = "";
    }

    public sealed class Handler(IDbConnectionFactory db)
    {
        /// <summary>The exercise when it is published to one of the learner's teams; null otherwise (a 404 for the caller).</summary>
        public async Task<ExerciseRecord?> FindAsync(int id, CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            return await connection.QuerySingleOrDefaultAsync<ExerciseRecord>(
                $"SELECT {ExerciseRecord.Columns} FROM Exercise e WHERE e.Id = @id AND {PublishedTo}", new { id, LearnerId = user.Id });
        }

        /// <summary>The expert answer; only for pages shown after the learner has submitted.</summary>
        public async Task<IReadOnlyList<Answer>> AnswersAsync(int exerciseId, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            return (await connection.QueryAsync<Answer>(
                $"""
                SELECT a.Id, a.Side, a.Kind, a.StartMs, a.EndMs, a.CategoryCode, {NeedCategories.DisplayName("a.Kind", "c")} AS CategoryName, a.Severity, a.Quote, a.Expected
                FROM ExerciseAnswer a JOIN NeedCategory c ON c.Code = a.CategoryCode
                WHERE a.ExerciseId = @exerciseId ORDER BY a.Side, a.StartMs
                """, new { exerciseId })).ToList();
        }
    }
}
