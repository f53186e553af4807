using CallReview.Db;
using CallReview.Transcription.Redaction;
using CallReview.Web.Features.Calls;
using Dapper;
using Microsoft.Extensions.Caching.Memory;

namespace CallReview.Web.Features.Shared;

/// <summary>The timeline of a call the user may already open: transcript turns, muted spans and where its audio and peaks are served.</summary>
public static class LoadTimeline
{
    private const string TurnColumns =
        "SELECT Channel, Speaker, StartMs, EndMs, Text, Language, (SELECT c.Language FROM Call c WHERE c.Id = @Id) AS CallLanguage FROM Segment WHERE CallId = @Id";

    /// <summary>How long a chunked transcript's parts stay in memory unused; a new version is a new entry anyway.</summary>
    private static readonly TimeSpan Kept = TimeSpan.FromMinutes(10);

    /// <summary>What a chunked transcript shows beside its lines: its chunks and muted spans.</summary>
    private sealed record Outline(IReadOnlyList<Timeline.Chunk> Chunks, IReadOnlyList<CallRedaction.Row> Muted);

    /// <param name="cache">
    /// A chunked transcript's outline and chunks, kept under the call's <see cref="CallAccess.VisibleCall.TranscriptVersion"/>:
    /// the same for every viewer, read once per version instead of on every view, and a change is a new version.
    /// </param>
    public sealed class Handler(IDbConnectionFactory db, IMemoryCache cache)
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
            IReadOnlyList<Timeline.Turn> turns;
            IReadOnlyList<CallRedaction.Row> muted;
            string? transcriptKey = null;
            if (chunkUrl is null)
            {
                turns = (await connection.QueryAsync<Timeline.Turn>($"{TurnColumns} ORDER BY StartMs, Seq", new { call.Id })).ToList();
                muted = (await CallRedaction.ListAsync(connection, call.Id)).ToList();
            }
            else
            {
                var outline = (await cache.GetOrCreateAsync((typeof(Outline), call.Id, call.TranscriptVersion), async entry =>
                {
                    entry.SlidingExpiration = Kept;
                    return new Outline(
                        (await connection.QueryAsync<Timeline.Chunk>(
                            $"""
                            SELECT StartMs / {Timeline.ChunkMs} AS Number, COUNT(*) AS Count, MIN(StartMs) AS FirstMs
                            FROM Segment WHERE CallId = @Id GROUP BY StartMs / {Timeline.ChunkMs} ORDER BY 1
                            """, new { call.Id })).ToList(),
                        (await CallRedaction.ListAsync(connection, call.Id)).ToList());
                }))!;
                (chunks, muted) = (outline.Chunks, outline.Muted);
                // The chunk of the line playing at the start: the last to begin at or before it.
                var startMs = (long)((startAt ?? 0) * 1000);
                var first = chunks.LastOrDefault(c => c.FirstMs <= startMs) ?? chunks.FirstOrDefault();
                turns = first is null ? [] : await ChunkAsync(connection, call, first.Number);
                transcriptKey = $"{call.Id}:v{call.TranscriptVersion}:{first?.Number}";
            }
            var media = call.Recording;
            return new Timeline
            {
                CallId = call.Id,
                DurationMs = call.DurationMs,
                Layout = call.Layout,
                AudioUrl = media is { HasAudio: true } ? $"/calls/{call.Id}/audio" : null,
                PeaksUrl = media is { HasPeaks: true } ? $"/calls/{call.Id}/peaks" : null,
                AudioAwaitsRedaction = media is { AwaitsRedaction: true },
                Turns = turns,
                Muted = muted,
                MarkUrl = markUrl,
                MarkTarget = markTarget,
                StartAt = startAt,
                ChunkUrl = chunkUrl,
                Chunks = chunks,
                TranscriptKey = transcriptKey,
            };
        }

        /// <summary>The turns of one chunk of a call the user may already open (see <see cref="Timeline.ChunkMs"/>).</summary>
        public async Task<IReadOnlyList<Timeline.Turn>> ChunkAsync(CallAccess.VisibleCall call, long number, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            return await ChunkAsync(connection, call, number);
        }

        private async Task<IReadOnlyList<Timeline.Turn>> ChunkAsync(System.Data.Common.DbConnection connection, CallAccess.VisibleCall call, long number) =>
            (await cache.GetOrCreateAsync((typeof(Timeline.Turn), call.Id, call.TranscriptVersion, number), async entry =>
            {
                entry.SlidingExpiration = Kept;
                return (IReadOnlyList<Timeline.Turn>)(await connection.QueryAsync<Timeline.Turn>($"{TurnColumns} AND StartMs >= @from AND StartMs < @to ORDER BY StartMs, Seq",
                    new { Id = call.Id, from = number * Timeline.ChunkMs, to = (number + 1) * Timeline.ChunkMs })).ToList();
            }))!;
    }
}
