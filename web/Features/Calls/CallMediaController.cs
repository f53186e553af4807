using CallReview.Transcription.Recordings;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Calls;

/// <summary>
/// Audio and waveform peaks for the timeline. Any signed-in user who may open the call may fetch them
/// (a learner's exercise player goes through the exercise, not here).
/// </summary>
[Route("calls/{id:int}"), Authorize]
public sealed class CallMediaController(CallAccess access, RecordingStore store, AuditLog audit) : Controller
{
    /// <summary>
    /// The playback copy with range support; until it exists, the original when browsers play it. Neither before card
    /// data redaction has run (409). Audited once per call and sign-in: a player fetches many ranges of one recording.
    /// </summary>
    [HttpGet("audio")]
    public async Task<IActionResult> Audio(int id, CancellationToken ct)
    {
        var files = await FindAsync(id, ct);
        if (files?.Audio(store) is not { } audio)
            return Unavailable(files);
        await audit.RecordOncePerSessionAsync(AuditActions.AudioPlayed, "Call", id, null, ct);
        return PhysicalFile(audio.Path, audio.ContentType, enableRangeProcessing: true);
    }

    [HttpGet("peaks")]
    public async Task<IActionResult> Peaks(int id, CancellationToken ct)
    {
        var files = await FindAsync(id, ct);
        return files?.Peaks(store) is { } peaks ? PhysicalFile(peaks.Path, peaks.ContentType) : Unavailable(files);
    }

    /// <summary>
    /// Held back while the call awaits redaction (it may hold a card number), else there is none. The 409 says why in the
    /// reader's language: a person who opens the link (or saves the audio) reads it.
    /// </summary>
    private IActionResult Unavailable(RecordingFiles? files) =>
        files is { AwaitsRedaction: true } ? this.Refuse(RecordingFiles.AwaitingRedactionText, StatusCodes.Status409Conflict) : NotFound();

    private async Task<RecordingFiles?> FindAsync(int id, CancellationToken ct) =>
        (await access.FindAsync(id, User.Current(), ct))?.Recording;
}
