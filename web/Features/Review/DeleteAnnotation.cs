using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Review;

/// <summary>Deleting keeps the row (DeletedAt) and records who deleted it, so disputes and exercises keep their history.</summary>
public static class DeleteAnnotation
{
    public sealed class Handler(IDbConnectionFactory db, TimeProvider clock, Trends.TrendFactStore facts, AuditLog audit)
    {
        public async Task<Outcome<Outcome.Unit>> DeleteAsync(ReviewScope scope, CurrentUser user, int id, CancellationToken ct)
        {
            await using (var connection = await db.OpenAsync(ct))
            {
                var existing = await AnnotationAudit.FindAsync(connection, null, scope, id);
                if (AnnotationAccess.Refusal(existing, user) is { } refusal)
                    return refusal;
            }
            using var turn = await db.WriteTurnAsync(ct);
            var now = clock.GetUtcNow();
            // The audit entry in the same transaction, as for a create or change: no deletion without its entry.
            await audit.RecordWithAsync(AuditActions.AnnotationDeleted, "Annotation", scope.AuditDetail, async (connection, tx) =>
            {
                var before = await AnnotationAudit.CountedAsync(connection, tx, id);
                await connection.ExecuteAsync("UPDATE Annotation SET DeletedAt = @now, UpdatedAt = @now WHERE Id = @id", new { id, now }, tx);
                await AnnotationAudit.RecordAsync(connection, tx, id, user.Id, "delete", now);
                await facts.CountAnnotationAsync(connection, tx, scope.CallId, before, null);
                return id;
            }, ct);
            return Outcome.Done();
        }
    }
}
