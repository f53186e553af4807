using System.Data.Common;
using System.Globalization;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using Dapper;

namespace CallReview.Web.Features.Review;

/// <summary>
/// A reviewer scores a call: one answer per criterion ("na" = not applicable), optional note and cited
/// annotations per criterion. The score is computed here, never taken from the client. Re-scoring keeps the
/// rubric version the scorecard was first saved with.
/// </summary>
public static class SaveScorecard
{
    public sealed class Form
    {
        public Dictionary<int, string?> Points { get; set; } = new();
        public Dictionary<int, string?> Notes { get; set; } = new();
        public Dictionary<int, List<int>> Cites { get; set; } = new();
        public string? Comment { get; set; }
    }

    public sealed record Result(int? ResultId, IReadOnlyDictionary<string, string> Errors, IReadOnlyDictionary<int, ScorecardPanel.Answer> Answers);

    public sealed class Handler(IDbConnectionFactory db, TimeProvider clock)
    {
        public async Task<Result> SaveAsync(ReviewScope scope, CurrentUser user, Form form, CancellationToken ct)
        {
            try
            {
                return await SaveOnceAsync(scope, user, form, ct);
            }
            catch (DbException)
            {
                // A concurrent first save of the same scorecard won the unique key: save again, as an update of it.
                return await SaveOnceAsync(scope, user, form, ct);
            }
        }

        private async Task<Result> SaveOnceAsync(ReviewScope scope, CurrentUser user, Form form, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var existing = await ScorecardPanel.Handler.FindResultAsync(connection, scope, user.Id, tx);
            var versionId = existing?.RubricVersionId ?? await connection.ExecuteScalarAsync<int>(
                "SELECT MAX(Id) FROM RubricVersion WHERE IsCurrent = 1", transaction: tx);
            var criteria = await ScorecardPanel.Handler.CriteriaAsync(connection, versionId, tx);
            var annotationIds = (await connection.QueryAsync<int>(
                $"""
                SELECT Id FROM Annotation WHERE CallId = @CallId AND DeletedAt IS NULL
                  AND {ReviewScope.VisibleAnnotation(null)}
                """, new { scope.CallId, scope.SessionId, scope.OnlyAuthor }, tx)).ToHashSet();

            var errors = new Dictionary<string, string>();
            var answers = new Dictionary<int, ScorecardPanel.Answer>();
            var points = new Dictionary<int, int?>();
            foreach (var criterion in criteria)
            {
                var field = ScorecardPanel.Model.FieldFor(criterion.Id);
                var text = form.Points.GetValueOrDefault(criterion.Id)?.Trim();
                int? value = null;
                if (string.IsNullOrEmpty(text))
                    errors[field] = $"Score \"{criterion.Title}\" (or mark it not applicable).";
                else if (text != "na")
                {
                    if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed <= criterion.MaxPoints)
                        value = parsed;
                    else
                        errors[field] = $"\"{criterion.Title}\" takes 0–{criterion.MaxPoints}.";
                }
                var cites = form.Cites.GetValueOrDefault(criterion.Id) ?? [];
                if (cites.Any(id => !annotationIds.Contains(id)))
                    errors[$"Cites[{criterion.Id}]"] = "Only annotations on this call can be cited.";
                points[criterion.Id] = value;
                answers[criterion.Id] = new ScorecardPanel.Answer
                {
                    CriterionId = criterion.Id,
                    Points = value,
                    Note = (form.Notes.GetValueOrDefault(criterion.Id) ?? "").Trim(),
                    CitedAnnotationIds = string.Join(",", cites.Distinct().Order()),
                };
            }
            if (errors.Count > 0)
                return new Result(null, errors, answers);

            var outcome = Scoring.Compute(criteria, points);
            var now = clock.GetUtcNow();
            var resultId = existing?.Id;
            var values = new { scope.CallId, scope.SessionId, versionId, ReviewerUserId = user.Id, outcome.Score, outcome.AutoFailed, Comment = (form.Comment ?? "").Trim(), now };
            if (resultId is { } id)
            {
                await connection.ExecuteAsync(
                    "UPDATE ScorecardResult SET Score = @Score, AutoFailed = @AutoFailed, Comment = @Comment, UpdatedAt = @now WHERE Id = @id",
                    new { id, outcome.Score, outcome.AutoFailed, values.Comment, now }, tx);
                await connection.ExecuteAsync("DELETE FROM ScorecardAnswer WHERE ResultId = @id", new { id }, tx);
            }
            else
            {
                resultId = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("ScorecardResult",
                    "CallId, RubricVersionId, ReviewerUserId, CalibrationSessionId, Score, AutoFailed, Comment, CreatedAt, UpdatedAt",
                    "@CallId, @versionId, @ReviewerUserId, @SessionId, @Score, @AutoFailed, @Comment, @now, @now"), values, tx);
            }
            await connection.ExecuteAsync(
                "INSERT INTO ScorecardAnswer (ResultId, CriterionId, Points, Note, CitedAnnotationIds) VALUES (@ResultId, @CriterionId, @Points, @Note, @CitedAnnotationIds)",
                answers.Values.Select(a => new { ResultId = resultId, a.CriterionId, a.Points, a.Note, a.CitedAnnotationIds }), tx);
            await tx.CommitAsync(ct);
            return new Result(resultId, errors, answers);
        }
    }
}
