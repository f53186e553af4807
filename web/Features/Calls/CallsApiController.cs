using CallReview.Transcription.Audio;
using CallReview.Transcription.Jobs;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Api;
using CallReview.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Calls;

/// <summary>Calls for telephony systems and scripts: send a recording, poll its status, read its transcript.</summary>
[ApiController, Route("api/calls"), ApiAntiforgery]
[Authorize(AuthenticationSchemes = ApiKeyAuthentication.KeyOrCookie)]
public sealed class CallsApiController(CallAccess access, TranscriptionQueue queue) : ControllerBase
{
    public sealed record AcceptedCall(int Id, string Status, bool Existing);

    /// <summary><paramref name="Error"/>: why the job failed, in English; <paramref name="ErrorCode"/> the stable key it was kept as (a job failed before keys were kept says only that it failed; its technical text is never sent).</summary>
    public sealed record CallStatus(int Id, string Status, double Progress, double DurationSeconds, string? Language, string? Error, string? ErrorCode);

    /// <summary>A transcript line; <paramref name="Language"/> is the one it was transcribed in (a call can switch).</summary>
    public sealed record TranscriptSegment(string Speaker, int Channel, double Start, double End, string Text, string? Language);

    public sealed record Transcript(string? Language, IReadOnlyList<TranscriptSegment> Segments);

    /// <summary>Multipart: <c>file</c> plus optional agent, team, startedAt, layout, externalRef, customerPhone, direction, tags, language.</summary>
    [HttpPost, Authorize(Policy = Policies.ManageCalls), DisableRequestSizeLimit, RequestFormLimits(MultipartBodyLengthLimit = long.MaxValue)]
    [Consumes("multipart/form-data")]
    public async Task<IActionResult> Create(IFormFile? file, [FromForm] CallsController.UploadForm form, [FromServices] ImportCall.Handler import, CancellationToken ct)
    {
        // An empty file is refused by the import, like the upload page's, as "The file is empty."
        if (file is null)
            return ValidationProblem(Field("file", "Send the recording in the multipart field 'file'."));
        try
        {
            await using var stream = file.OpenReadStream();
            var result = await import.ImportAsync(stream, file.FileName, form.ToMetadata(), User.Current(), ct);
            var body = new AcceptedCall(result.CallId, result.Status, result.AlreadyExisted);
            return result.AlreadyExisted ? Ok(body) : StatusCode(StatusCodes.Status202Accepted, body);
        }
        catch (AudioRejectedException ex)
        {
            var status = ex.Reason == AudioRejection.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status422UnprocessableEntity;
            return Problem(title: "The recording was refused.", detail: ex.Message, statusCode: status);
        }
        catch (ImportCall.MetadataRejectedException ex)
        {
            return ValidationProblem(Field(ex.Field, ex.Message));
        }
    }

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Get(int id, CancellationToken ct)
    {
        if (await access.FindAsync(id, User.Current(), ct) is not { } call)
            return NotFound();
        var job = await queue.LatestForCallAsync(id, ct);
        var failure = job?.Failure;
        return Ok(new CallStatus(id, job?.Status ?? JobStatus.Queued, job?.Progress ?? 0, call.DurationMs / 1000.0, call.Language,
            failure is null ? null : JobBadge.Reason(failure).ToString(), failure?.Key));
    }

    [HttpGet("{id:int}/transcript")]
    public async Task<IActionResult> GetTranscript(int id, [FromServices] LoadTimeline.Handler timelines, CancellationToken ct)
    {
        if (await access.FindAsync(id, User.Current(), ct) is not { } call)
            return NotFound();
        var timeline = await timelines.LoadAsync(call, markUrl: null, markTarget: null, startAt: null, ct);
        return Ok(new Transcript(call.Language, timeline.Turns
            .Select(s => new TranscriptSegment(s.Speaker, s.Channel, s.StartMs / 1000.0, s.EndMs / 1000.0, s.Text, s.Language))
            .ToList()));
    }

    private static Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary Field(string field, string message)
    {
        var state = new Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary();
        state.AddModelError(field, message);
        return state;
    }
}
