using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Shared;

namespace CallReview.Web.Features.Review;

/// <summary>The review workspace of one call: timeline, transcript, annotations and the reviewer's scorecard.</summary>
public static class ReviewPage
{
    /// <param name="MarkersKey">Names exactly these markers (see <see cref="AnnotationPanel.Handler.PageMarkersAsync"/>): they are rendered once under it.</param>
    /// <param name="AnnotationsKey">Names exactly this panel as this reader sees it (<see cref="AnnotationPanel.PageKey"/>): rendered once under it.</param>
    public sealed record Model(CallAccess.VisibleCall Call, Timeline Timeline, AnnotationPanel.Model Annotations,
        IReadOnlyList<Annotation> Markers, string MarkersKey, string AnnotationsKey, ScorecardPanel.Model Scorecard);

    public sealed class Handler(CallAccess calls, LoadTimeline.Handler timelines, AnnotationPanel.Handler annotations, ScorecardPanel.Handler scorecards)
    {
        public async Task<Model?> LoadAsync(int callId, CurrentUser user, decimal? startAt, CancellationToken ct)
        {
            if (await calls.FindAsync(callId, user, ct) is not { } call)
                return null;
            var scope = new ReviewScope(call.Id, null, call.DurationMs, $"/review/{call.Id}");
            var timeline = await timelines.LoadAsync(call, $"{scope.BasePath}/annotations/new", "#annotation-form-slot", startAt, ct,
                chunkUrl: $"{scope.BasePath}/transcript");
            var markers = await annotations.PageMarkersAsync(scope, call, ct);
            return new Model(call, timeline,
                await annotations.PageAsync(scope, user, markers, ct),
                markers.Markers, markers.Key, AnnotationPanel.PageKey(markers, user),
                await scorecards.LoadAsync(scope, user.Id, readOnly: false, ct, markers: markers.Markers, markersKey: markers.Key));
        }
    }
}
