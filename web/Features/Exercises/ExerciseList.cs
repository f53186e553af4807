using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using Dapper;

namespace CallReview.Web.Features.Exercises;

/// <summary>The builder's home: the exercises the user may edit, and annotated calls to build new ones from.</summary>
public static class ExerciseList
{
    public sealed class Row
    {
        public int Id { get; init; }
        public string Title { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Status { get; init; } = "";
        public int Difficulty { get; init; }
        public string CallTitle { get; init; } = "";
        public int Answers { get; init; }
        public int Attempts { get; init; }
        public int TeamCount { get; init; }
    }

    public sealed class AnnotatedCall
    {
        public int Id { get; init; }
        public string Title { get; init; } = "";
        public bool IsSample { get; init; }
        public int Unmet { get; init; }
        public int Exemplary { get; init; }
    }

    public sealed record Model(IReadOnlyList<Row> Exercises, IReadOnlyList<AnnotatedCall> Calls, IReadOnlyList<Certifications.Row> Certifications, bool MaySupervise);

    public sealed class Handler(IDbConnectionFactory db, Certifications.Handler certifications)
    {
        public async Task<Model> LoadAsync(CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var exercises = await connection.QueryAsync<Row>(
                $"""
                SELECT e.Id, e.Title, e.Kind, e.Status, e.Difficulty, c.Title AS CallTitle,
                       (SELECT COUNT(*) FROM ExerciseAnswer a WHERE a.ExerciseId = e.Id) AS Answers,
                       (SELECT COUNT(*) FROM Attempt t WHERE t.ExerciseId = e.Id) AS Attempts,
                       (SELECT COUNT(*) FROM ExerciseTeam et WHERE et.ExerciseId = e.Id) AS TeamCount
                FROM Exercise e JOIN Call c ON c.Id = e.CallId
                WHERE {ExerciseAccess.EditableBy(user)}
                ORDER BY e.Id DESC
                """, CallAccess.Parameters(user));
            var calls = await connection.QueryAsync<AnnotatedCall>(
                $"""
                SELECT c.Id, c.Title, c.IsSample,
                       SUM(CASE WHEN a.Kind = 'unmet' THEN 1 ELSE 0 END) AS Unmet,
                       SUM(CASE WHEN a.Kind = 'exemplary' THEN 1 ELSE 0 END) AS Exemplary
                FROM Call c JOIN Annotation a ON a.CallId = c.Id AND a.DeletedAt IS NULL AND a.CalibrationSessionId IS NULL
                WHERE {CallAccess.VisibleTo(user)}
                GROUP BY c.Id, c.Title, c.IsSample
                ORDER BY c.Title
                """, CallAccess.Parameters(user));
            return new Model(exercises.ToList(), calls.ToList(), await certifications.ListAsync(ct), ExerciseAccess.MaySupervise(user));
        }
    }
}
