using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Review;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Calibration;

/// <summary>
/// A participant's calibration page: the review workspace on the session's own annotations and scorecard,
/// seeing only their own pins; submitting locks them in.
/// </summary>
public static class CalibrationWork
{
    public sealed record Model(int SessionId, string Title, CallAccess.VisibleCall Call, Timeline Timeline, AnnotationPanel.Model Annotations,
        IReadOnlyList<Annotation> Markers, ScorecardPanel.Model Scorecard, bool Submitted);

    public sealed class Handler(ReviewScopes.Handler scopes, CallAccess calls, LoadTimeline.Handler timelines, AnnotationPanel.Handler annotations,
        ScorecardPanel.Handler scorecards, IDbConnectionFactory db, TimeProvider clock)
    {
        public async Task<Model?> LoadAsync(int sessionId, CurrentUser user, CancellationToken ct)
        {
            if (await scopes.ForSessionAsync(sessionId, user, ct) is not { } access || await calls.FindAsync(access.Scope.CallId, user, ct) is not { } call)
                return null;
            await using var connection = await db.OpenAsync(ct);
            var title = await connection.ExecuteScalarAsync<string>("SELECT Title FROM CalibrationSession WHERE Id = @sessionId", new { sessionId });
            var timeline = await timelines.LoadAsync(call, access.ReadOnly ? null : $"{access.Scope.BasePath}/annotations/new", "#annotation-form-slot", null, ct);
            var markers = await annotations.MarkersAsync(access.Scope, ct);
            return new Model(sessionId, title ?? "", call, timeline,
                await annotations.LoadAsync(access.Scope, user, null, access.ReadOnly, AnnotationPanel.PageSize, ct, total: markers.Count),
                markers,
                await scorecards.LoadAsync(access.Scope, user.Id, access.ReadOnly, ct, markers: markers), access.ReadOnly);
        }

        /// <summary>Locks the participant's pins and scorecard; not found when they are not a participant (or have submitted).</summary>
        public async Task<Outcome<Outcome.Unit>> SubmitAsync(int sessionId, CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            return await connection.ExecuteAsync(
                "UPDATE CalibrationParticipant SET SubmittedAt = @now WHERE SessionId = @sessionId AND UserId = @userId AND SubmittedAt IS NULL",
                new { sessionId, userId = user.Id, now = clock.GetUtcNow() }) == 1 ? Outcome.Done() : Outcome.NotFound;
        }
    }
}
