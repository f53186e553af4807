using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Review;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Signals;

/// <summary>
/// A reviewer's decision on a suggestion. Accepting claims it first (so two reviewers accepting at once make one
/// annotation), then creates an unmet need through the annotation handler — the rule's category, the signal's span, the
/// customer's words there as the quote — and records which annotation it became; if the annotation is refused the claim
/// is undone. Dismissing keeps the row, so the rule's precision counts it and a re-run does not suggest it again.
/// </summary>
public static class DecideSignal
{
    public sealed class Handler(IDbConnectionFactory db, SaveAnnotation.Handler annotations, TimeProvider clock)
    {
        public async Task<Outcome<int>> AcceptAsync(ReviewScope scope, CurrentUser user, int signalId, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var signal = await connection.QuerySingleOrDefaultAsync<CallSignals.Item>(
                "SELECT Id, RuleCode, StartMs, EndMs, Value, Threshold, Speaker, Detail, Status FROM CallSignal WHERE Id = @signalId AND CallId = @CallId",
                new { signalId, scope.CallId });
            if (signal is null)
                return Outcome.NotFound;
            if (!await ClaimAsync(signalId, ComputeSignals.Accepted, user, ct))
                return Outcome.Invalid("", "This suggestion was already decided.");

            var start = signal.StartMs / 1000m;
            var end = signal.EndMs > signal.StartMs ? signal.EndMs / 1000m : (decimal?)null;
            var input = await annotations.PrefillAsync(scope, start, end, ct);
            if (string.IsNullOrEmpty(input.Quote) && end is not null)
                input.Quote = (await annotations.PrefillAsync(scope, start, null, ct)).Quote;
            input.Category = signal.Rule.Category;
            input.Expected = "";
            var created = await annotations.CreateAsync(scope, user, input, ct);
            using var turn = await db.WriteTurnAsync(ct);
            if (!created.IsDone)
            {
                await connection.ExecuteAsync("UPDATE CallSignal SET Status = @Suggested, DecidedByUserId = NULL, DecidedAt = NULL WHERE Id = @signalId",
                    new { ComputeSignals.Suggested, signalId });
                return new Outcome<int>(created.Status, 0, created.Errors);
            }
            await connection.ExecuteAsync("UPDATE CallSignal SET AnnotationId = @id WHERE Id = @signalId", new { id = created.Value, signalId });
            return Outcome.Done(created.Value);
        }

        public async Task<Outcome<Outcome.Unit>> DismissAsync(ReviewScope scope, CurrentUser user, int signalId, CancellationToken ct)
        {
            await using (var connection = await db.OpenAsync(ct))
                if (await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM CallSignal WHERE Id = @signalId AND CallId = @CallId", new { signalId, scope.CallId }) == 0)
                    return Outcome.NotFound;
            return await ClaimAsync(signalId, ComputeSignals.Dismissed, user, ct)
                ? Outcome.Done()
                : Outcome.Invalid("", "This suggestion was already decided.");
        }

        private async Task<bool> ClaimAsync(int signalId, string status, CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            using var turn = await db.WriteTurnAsync(ct);
            return await connection.ExecuteAsync(
                "UPDATE CallSignal SET Status = @status, DecidedByUserId = @userId, DecidedAt = @now WHERE Id = @signalId AND Status = @Suggested",
                new { status, userId = user.Id, now = clock.GetUtcNow(), signalId, ComputeSignals.Suggested }) == 1;
        }
    }
}
