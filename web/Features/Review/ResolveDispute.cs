using CallReview.Web.Features.Audit;
using System.ComponentModel.DataAnnotations;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using Dapper;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Review;

/// <summary>
/// A supervisor resolves an agent's dispute: keep (nothing changes), change (a criterion gets new points; an
/// annotation is edited on the review page), or remove (the annotation is deleted with its audit row, or the
/// criterion becomes not applicable). The score is recomputed and the resolution is kept on the dispute.
/// </summary>
public static class ResolveDispute
{
    public sealed class Row
    {
        public int Id { get; init; }
        public int CallId { get; init; }
        public string CallTitle { get; init; } = "";
        public string Agent { get; init; } = "";
        public int? AnnotationId { get; init; }
        public long? AnnotationStartMs { get; init; }
        public string? AnnotationCategory { get; init; }
        public int? ResultId { get; init; }
        public int? CriterionId { get; init; }
        public string? CriterionTitle { get; init; }
        public int? CriterionMax { get; init; }
        public int? Points { get; init; }
        public string Comment { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    public sealed class Form
    {
        public string? Outcome { get; set; }
        public string? Resolution { get; set; }
        [Range(0, 1000)] public int? Points { get; set; }
    }

    public sealed class Handler(IDbConnectionFactory db, TimeProvider clock, Trends.TrendFactStore facts, AuditLog audit)
    {
        public async Task<IReadOnlyList<Row>> OpenAsync(CurrentUser user, int? disputeId, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var parameters = new DynamicParameters(CallAccess.Parameters(user));
            parameters.Add("disputeId", disputeId);
            return (await connection.QueryAsync<Row>(
                $"""
                SELECT d.Id, d.CallId, c.Title AS CallTitle, u.DisplayName AS Agent, d.AnnotationId, a.StartMs AS AnnotationStartMs,
                       {NeedCategories.DisplayName("a.Kind", "n")} AS AnnotationCategory, d.ResultId, d.CriterionId, {ContentNames.CriterionTitle("rc")} AS CriterionTitle, rc.MaxPoints AS CriterionMax,
                       sa.Points, d.Comment, d.CreatedAt
                FROM Dispute d
                JOIN Call c ON c.Id = d.CallId
                JOIN UserAccount u ON u.Id = d.AgentUserId
                LEFT JOIN Annotation a ON a.Id = d.AnnotationId
                LEFT JOIN NeedCategory n ON n.Code = a.CategoryCode
                LEFT JOIN RubricCriterion rc ON rc.Id = d.CriterionId
                LEFT JOIN ScorecardAnswer sa ON sa.ResultId = d.ResultId AND sa.CriterionId = d.CriterionId
                WHERE d.Status = 'open' AND {CallAccess.VisibleTo(user)} AND (@disputeId IS NULL OR d.Id = @disputeId)
                ORDER BY d.CreatedAt, d.Id
                """, parameters)).ToList();
        }

        /// <summary>Resolves an open dispute the supervisor may see; not found for any other.</summary>
        public async Task<Outcome<Outcome.Unit>> ResolveAsync(int disputeId, CurrentUser user, Form form, CancellationToken ct)
        {
            if ((await OpenAsync(user, disputeId, ct)).SingleOrDefault() is not { } dispute)
                return Outcome.NotFound;
            var outcome = form.Outcome?.Trim().ToLowerInvariant();
            if (outcome is not ("keep" or "change" or "remove"))
                return Outcome.Invalid(nameof(Form.Outcome), "Choose keep, change or remove.");
            if (outcome == "change" && dispute.CriterionId is not null && form.Points is not { } p)
                return Outcome.Invalid(nameof(Form.Points), "Give the criterion's new points.");
            if (outcome == "change" && dispute.CriterionMax is { } max && form.Points is { } points && (points < 0 || points > max))
                return Outcome.Invalid(nameof(Form.Points), new Message("Points must be 0–{0}.", max));
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            if (outcome == "remove" && dispute.AnnotationId is { } annotationId)
            {
                await connection.ExecuteAsync("UPDATE Annotation SET DeletedAt = @now, UpdatedAt = @now WHERE Id = @annotationId", new { annotationId, now }, tx);
                await AnnotationAudit.RecordAsync(connection, tx, annotationId, user.Id, "delete", now);
            }
            if (outcome is "remove" or "change" && dispute is { ResultId: { } resultId, CriterionId: { } criterionId })
            {
                await connection.ExecuteAsync("UPDATE ScorecardAnswer SET Points = @points WHERE ResultId = @resultId AND CriterionId = @criterionId",
                    new { points = outcome == "remove" ? null : form.Points, resultId, criterionId }, tx);
                await RescoreAsync(connection, tx, resultId, now);
            }
            await connection.ExecuteAsync(
                "UPDATE Dispute SET Status = @status, Resolution = @resolution, ResolvedByUserId = @userId, ResolvedAt = @now WHERE Id = @disputeId",
                new { disputeId, status = outcome == "keep" ? "kept" : outcome == "change" ? "changed" : "removed",
                      resolution = form.Resolution?.Trim() ?? "", userId = user.Id, now }, tx);
            await facts.RefreshAsync(connection, tx, dispute.CallId);
            await tx.CommitAsync(ct);
            await audit.RecordAsync(AuditActions.DisputeResolved, "Dispute", disputeId, $"call {dispute.CallId}: {outcome}", ct);
            return Outcome.Done();
        }

        private static async Task RescoreAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, int resultId, DateTimeOffset now)
        {
            var versionId = await connection.ExecuteScalarAsync<int>("SELECT RubricVersionId FROM ScorecardResult WHERE Id = @resultId", new { resultId }, tx);
            var criteria = await ScorecardPanel.Handler.CriteriaAsync(connection, versionId, tx);
            var points = (await connection.QueryAsync<ScorecardPanel.Answer>(
                "SELECT CriterionId, Points, Note, CitedAnnotationIds FROM ScorecardAnswer WHERE ResultId = @resultId", new { resultId }, tx))
                .ToDictionary(a => a.CriterionId, a => a.Points);
            var outcome = Scoring.Compute(criteria, points);
            await connection.ExecuteAsync("UPDATE ScorecardResult SET Score = @Score, AutoFailed = @AutoFailed, UpdatedAt = @now WHERE Id = @resultId",
                new { outcome.Score, outcome.AutoFailed, now, resultId }, tx);
        }
    }
}
