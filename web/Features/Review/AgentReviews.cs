using CallReview.Web.Features.Audit;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Practice;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Review;

/// <summary>
/// An agent's view of the reviews of their own calls: read the annotations and scorecards, acknowledge the
/// review, or dispute one annotation or one criterion with a comment. Only calls where they are the agent. While an
/// exercise built on the call is open to them and not yet submitted, the review is held back: its pins are the answer.
/// </summary>
public static class AgentReviews
{
    public sealed class CallRow
    {
        public int Id { get; init; }
        public string Title { get; init; } = "";
        public DateTimeOffset? StartedAt { get; init; }
        public int Annotations { get; init; }
        public double? Score { get; init; }
        public DateTimeOffset? AcknowledgedAt { get; init; }
        public int OpenDisputes { get; init; }
        public bool HeldBack { get; init; }
    }

    public sealed class PracticeFirst
    {
        public int Id { get; init; }
        public string Title { get; init; } = "";
    }

    public sealed class CriterionRow
    {
        public int ResultId { get; init; }
        public int CriterionId { get; init; }
        public string Section { get; init; } = "";
        public string Title { get; init; } = "";
        public int MaxPoints { get; init; }
        public int? Points { get; init; }
        public string Note { get; init; } = "";
        public string Reviewer { get; init; } = "";
    }

    /// <summary>One reviewer's scorecard of the call: the overall score and comment.</summary>
    public sealed class ResultRow
    {
        public string Reviewer { get; init; } = "";
        public double Score { get; init; }
        public bool AutoFailed { get; init; }
        public string Comment { get; init; } = "";
    }

    public sealed class DisputeRow
    {
        public int Id { get; init; }
        public int? AnnotationId { get; init; }
        /// <summary>What the dispute is about, as the agent saw it: the annotation's category or the criterion's title.</summary>
        public string Subject { get; init; } = "";
        public long? AnnotationStartMs { get; init; }
        public int? CriterionId { get; init; }
        public string Comment { get; init; } = "";
        public string Status { get; init; } = "";
        public string? Resolution { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }

    public sealed class DisputeForm
    {
        public int? AnnotationId { get; set; }
        public int? ResultId { get; set; }
        public int? CriterionId { get; set; }
        public string? Comment { get; set; }
    }

    public sealed record Model(CallAccess.VisibleCall Call, Timeline Timeline, IReadOnlyList<Annotation> Annotations,
        IReadOnlyList<ResultRow> Results, IReadOnlyList<CriterionRow> Criteria, IReadOnlyList<DisputeRow> Disputes, DateTimeOffset? AcknowledgedAt,
        IReadOnlyList<PracticeFirst> HeldBackBy);

    public const string HeldBackMessage = "This review opens once you have done the exercise made from this call.";

    public sealed class Handler(IDbConnectionFactory db, CallAccess calls, LoadTimeline.Handler timelines, AnnotationPanel.Handler annotations, TimeProvider clock, AuditLog audit)
    {
        public async Task<IReadOnlyList<CallRow>> ListAsync(CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            return (await connection.QueryAsync<CallRow>(
                $"""
                SELECT c.Id, c.Title, c.StartedAt,
                    (SELECT COUNT(*) FROM Annotation a WHERE a.CallId = c.Id AND a.DeletedAt IS NULL AND a.CalibrationSessionId IS NULL) AS Annotations,
                    (SELECT MAX(r.Score) FROM ScorecardResult r WHERE r.CallId = c.Id AND r.CalibrationSessionId IS NULL) AS Score,
                    k.AcknowledgedAt,
                    (SELECT COUNT(*) FROM Dispute d WHERE d.CallId = c.Id AND d.Status = 'open') AS OpenDisputes,
                    CASE WHEN EXISTS (SELECT 1 FROM Exercise e WHERE {LearnerExercises.AwaitingAttemptOn("c.Id")}) THEN 1 ELSE 0 END AS HeldBack
                FROM Call c LEFT JOIN ReviewAcknowledgement k ON k.CallId = c.Id AND k.UserId = @userId
                WHERE c.AgentUserId = @userId
                  AND (EXISTS (SELECT 1 FROM Annotation a WHERE a.CallId = c.Id AND a.DeletedAt IS NULL AND a.CalibrationSessionId IS NULL)
                       OR EXISTS (SELECT 1 FROM ScorecardResult r WHERE r.CallId = c.Id AND r.CalibrationSessionId IS NULL))
                ORDER BY c.StartedAt DESC, c.Id DESC
                """, new { userId = user.Id, LearnerId = user.Id })).ToList();
        }

        /// <summary>The review of one of the agent's own calls; null for any other call.</summary>
        public async Task<Model?> LoadAsync(int callId, CurrentUser user, CancellationToken ct)
        {
            if (await calls.FindAsync(callId, user, ct) is not { } call || call.AgentUserId != user.Id)
                return null;
            await using var connection = await db.OpenAsync(ct);
            var timeline = await timelines.LoadAsync(call, null, null, null, ct);
            var heldBackBy = await HeldBackByAsync(connection, callId, user);
            if (heldBackBy.Count > 0)
                return new Model(call, timeline, [], [], [], [], null, heldBackBy);
            var scope = new ReviewScope(call.Id, null, call.DurationMs, $"/reviews/mine/{call.Id}");
            var criteria = await connection.QueryAsync<CriterionRow>(
                $"""
                SELECT r.Id AS ResultId, c.Id AS CriterionId, {ContentNames.CriterionSection("c")} AS Section, {ContentNames.CriterionTitle("c")} AS Title, c.MaxPoints, a.Points, a.Note, u.DisplayName AS Reviewer
                FROM ScorecardResult r
                JOIN ScorecardAnswer a ON a.ResultId = r.Id
                JOIN RubricCriterion c ON c.Id = a.CriterionId
                JOIN UserAccount u ON u.Id = r.ReviewerUserId
                WHERE r.CallId = @callId AND r.CalibrationSessionId IS NULL
                ORDER BY r.Id, c.SortOrder
                """, new { callId });
            var results = await connection.QueryAsync<ResultRow>(
                """
                SELECT u.DisplayName AS Reviewer, r.Score, r.AutoFailed, r.Comment
                FROM ScorecardResult r JOIN UserAccount u ON u.Id = r.ReviewerUserId
                WHERE r.CallId = @callId AND r.CalibrationSessionId IS NULL
                ORDER BY r.Id
                """, new { callId });
            var disputes = await connection.QueryAsync<DisputeRow>(
                $"""
                SELECT d.Id, d.AnnotationId, d.CriterionId, d.Comment, d.Status, d.Resolution, d.CreatedAt, a.StartMs AS AnnotationStartMs,
                       CASE WHEN d.AnnotationId IS NOT NULL THEN {NeedCategories.DisplayName("a.Kind", "n")} ELSE {ContentNames.CriterionTitle("c")} END AS Subject
                FROM Dispute d
                LEFT JOIN Annotation a ON a.Id = d.AnnotationId
                LEFT JOIN NeedCategory n ON n.Code = a.CategoryCode
                LEFT JOIN RubricCriterion c ON c.Id = d.CriterionId
                WHERE d.CallId = @callId AND d.AgentUserId = @userId
                ORDER BY d.Id
                """, new { callId, userId = user.Id });
            var acknowledged = await connection.ExecuteScalarAsync<DateTimeOffset?>(
                "SELECT AcknowledgedAt FROM ReviewAcknowledgement WHERE CallId = @callId AND UserId = @userId", new { callId, userId = user.Id });
            return new Model(call, timeline, await annotations.ListAsync(scope, ct),
                results.ToList(), criteria.ToList(), disputes.ToList(), acknowledged, []);
        }

        /// <summary>Not found for a call that is not the agent's, and while the review is held back.</summary>
        public async Task<Outcome<Outcome.Unit>> AcknowledgeAsync(int callId, CurrentUser user, CancellationToken ct)
        {
            if (await calls.FindAsync(callId, user, ct) is not { } call || call.AgentUserId != user.Id)
                return Outcome.NotFound;
            await using var connection = await db.OpenAsync(ct);
            if ((await HeldBackByAsync(connection, callId, user)).Count > 0)
                return Outcome.NotFound;
            await connection.ExecuteAsync(db.Dialect.Upsert("ReviewAcknowledgement", ["CallId", "UserId"], ["AcknowledgedAt"]),
                new { CallId = callId, UserId = user.Id, AcknowledgedAt = clock.GetUtcNow() });
            return Outcome.Done();
        }

        /// <summary>Opens a dispute on one annotation or one criterion of the call; not found when the call is not the agent's.</summary>
        public async Task<Outcome<Outcome.Unit>> DisputeAsync(int callId, CurrentUser user, DisputeForm form, CancellationToken ct)
        {
            if (await calls.FindAsync(callId, user, ct) is not { } call || call.AgentUserId != user.Id)
                return Outcome.NotFound;
            var comment = form.Comment?.Trim() ?? "";
            await using var connection = await db.OpenAsync(ct);
            if ((await HeldBackByAsync(connection, callId, user)).Count > 0)
                return Outcome.Invalid("", HeldBackMessage);
            if (comment.Length is 0 or > 4000)
                return Outcome.Invalid(nameof(DisputeForm.Comment), "Say why you disagree (up to 4000 characters).");
            var target = form.AnnotationId is { } annotationId
                ? await connection.ExecuteScalarAsync<int>(
                    "SELECT COUNT(*) FROM Annotation WHERE Id = @annotationId AND CallId = @callId AND DeletedAt IS NULL AND CalibrationSessionId IS NULL",
                    new { annotationId, callId })
                : form is { ResultId: { } resultId, CriterionId: { } criterionId }
                    ? await connection.ExecuteScalarAsync<int>(
                        """
                        SELECT COUNT(*) FROM ScorecardAnswer a JOIN ScorecardResult r ON r.Id = a.ResultId
                        WHERE a.ResultId = @resultId AND a.CriterionId = @criterionId AND r.CallId = @callId AND r.CalibrationSessionId IS NULL
                        """, new { resultId, criterionId, callId })
                    : 0;
            if (target == 0)
                return Outcome.Invalid("", "Choose an annotation or a criterion of this call's review.");
            await connection.ExecuteAsync(
                """
                INSERT INTO Dispute (CallId, AgentUserId, AnnotationId, ResultId, CriterionId, Comment, Status, CreatedAt)
                VALUES (@callId, @userId, @AnnotationId, @ResultId, @CriterionId, @comment, 'open', @now)
                """,
                new { callId, userId = user.Id, form.AnnotationId, ResultId = form.AnnotationId is null ? form.ResultId : null,
                      CriterionId = form.AnnotationId is null ? form.CriterionId : null, comment, now = clock.GetUtcNow() });
            await audit.RecordAsync(AuditActions.DisputeOpened, "Call", callId,
                form.AnnotationId is { } disputed ? $"annotation {disputed}" : $"criterion {form.CriterionId}", ct);
            return Outcome.Done();
        }

        /// <summary>The open exercises on this call the learner has not submitted yet; while there are any, the review stays hidden.</summary>
        private static async Task<IReadOnlyList<PracticeFirst>> HeldBackByAsync(System.Data.Common.DbConnection connection, int callId, CurrentUser user) =>
            (await connection.QueryAsync<PracticeFirst>(
                $"SELECT e.Id, e.Title FROM Exercise e WHERE {LearnerExercises.AwaitingAttemptOn("@callId")} ORDER BY e.Id",
                new { callId, LearnerId = user.Id })).ToList();
    }
}
