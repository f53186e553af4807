using CallReview.Db;
using CallReview.Web.Features.Calls;
using Dapper;

namespace CallReview.Web.Features.Shared;

/// <summary>The timeline of a call the user may already open: transcript turns and where its audio and peaks are served.</summary>
public static class LoadTimeline
{
    private sealed class Media
    {
        public string? PlaybackPath { get; init; }
        public string? PeaksPath { get; init; }
    }

    public sealed class Handler(IDbConnectionFactory db)
    {
        public async Task<Timeline> LoadAsync(CallAccess.VisibleCall call, string? markUrl, string? markTarget, decimal? startAt, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var turns = await connection.QueryAsync<Timeline.Turn>(
                "SELECT Channel, Speaker, StartMs, EndMs, Text FROM Segment WHERE CallId = @Id ORDER BY StartMs, Seq", new { call.Id });
            var media = await connection.QuerySingleOrDefaultAsync<Media>(
                "SELECT PlaybackPath, PeaksPath FROM Recording WHERE CallId = @Id", new { call.Id });
            return new Timeline
            {
                CallId = call.Id,
                DurationMs = call.DurationMs,
                Layout = call.Layout,
                AudioUrl = media?.PlaybackPath is null ? null : $"/calls/{call.Id}/audio",
                PeaksUrl = media?.PeaksPath is null ? null : $"/calls/{call.Id}/peaks",
                Turns = turns.ToList(),
                MarkUrl = markUrl,
                MarkTarget = markTarget,
                StartAt = startAt is { } t && t >= 0 && t * 1000 <= call.DurationMs ? t : null,
            };
        }
    }
}
