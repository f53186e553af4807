using CallReview.Db;
using CallReview.Transcription.Recordings;
using CallReview.Web.Features.Accounts;
using Dapper;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Calls;

/// <summary>
/// Audio and waveform peaks for the timeline. Any signed-in user who may open the call may fetch them
/// (a learner's exercise player goes through the exercise, not here).
/// </summary>
[Route("calls/{id:int}"), Authorize]
public sealed class CallMediaController(CallAccess access, IDbConnectionFactory db, RecordingStore store) : Controller
{
    private sealed class Media
    {
        public string OriginalPath { get; init; } = "";
        public string Format { get; init; } = "";
        public string? PlaybackPath { get; init; }
        public string? PeaksPath { get; init; }
    }

    /// <summary>The playback copy with range support; until it exists, the original when browsers play it.</summary>
    [HttpGet("audio")]
    public async Task<IActionResult> Audio(int id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } media)
            return NotFound();
        if (media.PlaybackPath is { } playback && System.IO.File.Exists(store.FullPath(playback)))
            return PhysicalFile(store.FullPath(playback), "audio/mpeg", enableRangeProcessing: true);
        var original = store.FullPath(media.OriginalPath);
        return media.Format switch
        {
            "wav" => PhysicalFile(original, "audio/wav", enableRangeProcessing: true),
            "mp3" => PhysicalFile(original, "audio/mpeg", enableRangeProcessing: true),
            _ => NotFound(),
        };
    }

    [HttpGet("peaks")]
    public async Task<IActionResult> Peaks(int id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { PeaksPath: { } peaks } || !System.IO.File.Exists(store.FullPath(peaks)))
            return NotFound();
        return PhysicalFile(store.FullPath(peaks), "application/json");
    }

    private async Task<Media?> FindAsync(int id, CancellationToken ct)
    {
        if (await access.FindAsync(id, User.Current(), ct) is null)
            return null;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Media>(
            "SELECT OriginalPath, Format, PlaybackPath, PeaksPath FROM Recording WHERE CallId = @id", new { id });
    }
}
