using CallReview.Db;
using CallReview.Web.Features.Calls;
using Dapper;

namespace CallReview.Web.Features.Shared;

/// <summary>The timeline of a call the user may already open: transcript turns, muted spans and where its audio and peaks are served.</summary>
public static class LoadTimeline
{
    public sealed class Handler(IDbConnectionFactory db)
    {
        public async Task<Timeline> LoadAsync(CallAccess.VisibleCall call, string? markUrl, string? markTarget, decimal? startAt, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var turns = await connection.QueryAsync<Timeline.Turn>(
                "SELECT Channel, Speaker, StartMs, EndMs, Text FROM Segment WHERE CallId = @Id ORDER BY StartMs, Seq", new { call.Id });
            var muted = await connection.QueryAsync<Timeline.Muting>(
                "SELECT Channel, Speaker, StartMs, EndMs, Kind, RuleName FROM Redaction WHERE CallId = @Id ORDER BY StartMs, Id", new { call.Id });
            var media = await RecordingFiles.FindAsync(connection, call.Id);
            return new Timeline
            {
                CallId = call.Id,
                DurationMs = call.DurationMs,
                Layout = call.Layout,
                AudioUrl = media is { HasAudio: true } ? $"/calls/{call.Id}/audio" : null,
                PeaksUrl = media is { HasPeaks: true } ? $"/calls/{call.Id}/peaks" : null,
                Turns = turns.ToList(),
                Muted = muted.ToList(),
                MarkUrl = markUrl,
                MarkTarget = markTarget,
                StartAt = startAt is { } t && t >= 0 && t * 1000 <= call.DurationMs ? t : null,
            };
        }
    }
}
