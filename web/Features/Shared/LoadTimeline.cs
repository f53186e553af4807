using CallReview.Db;
using CallReview.Transcription.Redaction;
using CallReview.Web.Features.Calls;
using Dapper;

namespace CallReview.Web.Features.Shared;

/// <summary>The timeline of a call the user may already open: transcript turns, muted spans and where its audio and peaks are served.</summary>
public static class LoadTimeline
{
    private const string TurnColumns =
        "SELECT Channel, Speaker, StartMs, EndMs, Text, Language, (SELECT c.Language FROM Call c WHERE c.Id = @Id) AS CallLanguage FROM Segment WHERE CallId = @Id";

    public sealed class Handler(IDbConnectionFactory db)
    {
        /// <summary>
        /// With <paramref name="chunkUrl"/> the transcript comes in chunks (see <see cref="Timeline.ChunkUrl"/>): the page
        /// carries the one holding the line at <paramref name="startAt"/> (the start without it), the rest load as needed.
        /// </summary>
        public async Task<Timeline> LoadAsync(CallAccess.VisibleCall call, string? markUrl, string? markTarget, decimal? startAt, CancellationToken ct,
            string? chunkUrl = null)
        {
            startAt = startAt is { } t && t >= 0 && t * 1000 <= call.DurationMs ? t : null;
            await using var connection = await db.OpenAsync(ct);
            IReadOnlyList<Timeline.Chunk> chunks = [];
            List<Timeline.Turn> turns;
            if (chunkUrl is null)
                turns = (await connection.QueryAsync<Timeline.Turn>($"{TurnColumns} ORDER BY StartMs, Seq", new { call.Id })).ToList();
            else
            {
                chunks = (await connection.QueryAsync<Timeline.Chunk>(
                    $"""
                    SELECT StartMs / {Timeline.ChunkMs} AS Number, COUNT(*) AS Count, MIN(StartMs) AS FirstMs
                    FROM Segment WHERE CallId = @Id GROUP BY StartMs / {Timeline.ChunkMs} ORDER BY 1
                    """, new { call.Id })).ToList();
                // The chunk of the line playing at the start: the last to begin at or before it.
                var startMs = (long)((startAt ?? 0) * 1000);
                var first = chunks.LastOrDefault(c => c.FirstMs <= startMs) ?? chunks.FirstOrDefault();
                turns = first is null ? [] : await ChunkAsync(connection, call.Id, first.Number);
            }
            var muted = await CallRedaction.ListAsync(connection, call.Id);
            var media = await RecordingFiles.FindAsync(connection, call.Id);
            return new Timeline
            {
                CallId = call.Id,
                DurationMs = call.DurationMs,
                Layout = call.Layout,
                AudioUrl = media is { HasAudio: true } ? $"/calls/{call.Id}/audio" : null,
                PeaksUrl = media is { HasPeaks: true } ? $"/calls/{call.Id}/peaks" : null,
                AudioAwaitsRedaction = media is { AwaitsRedaction: true },
                Turns = turns,
                Muted = muted.ToList(),
                MarkUrl = markUrl,
                MarkTarget = markTarget,
                StartAt = startAt,
                ChunkUrl = chunkUrl,
                Chunks = chunks,
            };
        }

        /// <summary>The turns of one chunk of a call the user may already open (see <see cref="Timeline.ChunkMs"/>).</summary>
        public async Task<IReadOnlyList<Timeline.Turn>> ChunkAsync(int callId, long number, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            return await ChunkAsync(connection, callId, number);
        }

        private static async Task<List<Timeline.Turn>> ChunkAsync(System.Data.Common.DbConnection connection, int callId, long number) =>
            (await connection.QueryAsync<Timeline.Turn>($"{TurnColumns} AND StartMs >= @from AND StartMs < @to ORDER BY StartMs, Seq",
                new { Id = callId, from = number * Timeline.ChunkMs, to = (number + 1) * Timeline.ChunkMs })).ToList();
    }
}
