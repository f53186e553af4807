using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Shared;

namespace CallReview.Web.Features.Review;

/// <summary>The review workspace of one call: timeline, transcript, annotations and the reviewer's scorecard.</summary>
public static class ReviewPage
{
    /// <param name="AnnotationsKey">Names exactly this panel as this reader sees it and the markers (<see cref="AnnotationPanel.PageKey"/>): rendered once under it.</param>
    /// <param name="CallKey">Names exactly the page's head, timeline and transcript, the same for every reader (<see cref="KeyOf"/>):
    /// rendered once under it. Null when the page opens at a moment (<c>?t=</c>): any number of moments would be as many copies.</param>
    public sealed record Model(CallAccess.VisibleCall Call, Timeline Timeline, AnnotationPanel.Model Annotations,
        IReadOnlyList<Annotation> Markers, string AnnotationsKey, ScorecardPanel.Model Scorecard, string? CallKey);

    /// <summary>
    /// Everything the head and timeline show of the call: its fields as a 64-bit hash (titles and names are free text, so
    /// they are hashed rather than joined), what may be played, and the transcript's key (its version covers muted spans).
    /// </summary>
    private static string? KeyOf(CallAccess.VisibleCall call, Timeline timeline)
    {
        if (timeline.StartAt is not null)
            return null;
        HashCode low = new(), high = new();
        high.Add(call.Id);
        Add(ref low);
        Add(ref high);
        return $"{call.Id}:{(uint)low.ToHashCode():x8}{(uint)high.ToHashCode():x8}:{timeline.TranscriptKey}";

        void Add(ref HashCode hash)
        {
            hash.Add(call.Title, StringComparer.Ordinal);
            hash.Add(call.AgentName, StringComparer.Ordinal);
            hash.Add(call.StartedAt?.UtcTicks);
            hash.Add(call.DurationMs);
            hash.Add(call.Language, StringComparer.Ordinal);
            hash.Add(call.IsSample);
            hash.Add(call.Layout, StringComparer.Ordinal);
            hash.Add(timeline.AudioUrl, StringComparer.Ordinal);
            hash.Add(timeline.PeaksUrl, StringComparer.Ordinal);
            hash.Add(timeline.AudioAwaitsRedaction);
        }
    }

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
                markers.Markers, AnnotationPanel.PageKey(markers, user),
                await scorecards.LoadAsync(scope, user.Id, readOnly: false, ct, markers: markers.Markers, markersKey: markers.Key),
                KeyOf(call, timeline));
        }
    }
}
