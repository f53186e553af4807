using System.Data.Common;
using System.Globalization;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Shared;
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

    /// <summary>The form's answer to one criterion as the panel shows it; points that are not a valid score stay empty.</summary>
    public static ScorecardPanel.Answer AnswerTo(Form form, Scoring.Criterion criterion)
    {
        var text = form.Points.GetValueOrDefault(criterion.Id)?.Trim();
        int? points = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed <= criterion.MaxPoints ? parsed : null;
        return new ScorecardPanel.Answer
        {
            CriterionId = criterion.Id,
            Points = points,
            Chosen = points is not null || text == "na",
            Note = (form.Notes.GetValueOrDefault(criterion.Id) ?? "").Trim(),
            CitedAnnotationIds = string.Join(",", (form.Cites.GetValueOrDefault(criterion.Id) ?? []).Distinct().Order()),
        };
    }

    public sealed class Handler(IDbConnectionFactory db, TimeProvider clock, Trends.TrendFactStore facts, AuditLog audit)
    {
        public async Task<Outcome<int>> SaveAsync(ReviewScope scope, CurrentUser user, Form form, CancellationToken ct)
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

        private async Task<Outcome<int>> SaveOnceAsync(ReviewScope scope, CurrentUser user, Form form, CancellationToken ct)
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

            var errors = new Dictionary<string, Message>();
            var answers = new Dictionary<int, ScorecardPanel.Answer>();
            var points = new Dictionary<int, int?>();
            foreach (var criterion in criteria)
            {
                var field = ScorecardPanel.Model.FieldFor(criterion.Id);
                var text = form.Points.GetValueOrDefault(criterion.Id)?.Trim();
                var answer = AnswerTo(form, criterion);
                if (string.IsNullOrEmpty(text))
                    errors[field] = new Message("Score \"{0}\" (or mark it not applicable).", criterion.Title);
                else if (text != "na" && answer.Points is null)
                    errors[field] = new Message("\"{0}\" takes 0–{1}.", criterion.Title, criterion.MaxPoints);
                if ((form.Cites.GetValueOrDefault(criterion.Id) ?? []).Any(id => !annotationIds.Contains(id)))
                    errors[$"Cites[{criterion.Id}]"] = "Only annotations on this call can be cited.";
                points[criterion.Id] = answer.Points;
                answers[criterion.Id] = answer;
            }
            if (errors.Count > 0)
                return Outcome.Invalid(errors);

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
            await facts.RefreshAsync(connection, tx, scope.CallId);
            await tx.CommitAsync(ct);
            await audit.RecordAsync(AuditActions.ScorecardSaved, "ScorecardResult", resultId.Value,
                string.Create(CultureInfo.InvariantCulture, $"{scope.AuditDetail}, score {outcome.Score}{(outcome.AutoFailed ? ", auto-failed" : "")}"), ct);
            return Outcome.Done(resultId.Value);
        }
    }
}
