using CallReview.Transcription;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Jobs;
using CallReview.Transcription.Recordings;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;
using Htmx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CallReview.Web.Features.Calls;

[Route("calls"), Authorize(Policy = Policies.ManageCalls)]
public sealed class CallsController(CallAccess access, TranscriptionQueue queue) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CallList.Filter filter, [FromServices] CallList.Handler handler, CancellationToken ct)
    {
        var model = await handler.HandleAsync(filter, User.Current(), ct);
        return this.PageOrFragment("Calls", model, "_CallRows");
    }

    [HttpGet("upload")]
    public async Task<IActionResult> Upload([FromServices] CallList.Handler handler, CancellationToken ct) =>
        View("Upload", await handler.TeamsAsync(User.Current(), ct));

    /// <summary>One or more files with shared metadata. The upload page sends one file per request to show progress per file.</summary>
    [HttpPost("upload"), DisableRequestSizeLimit, RequestFormLimits(MultipartBodyLengthLimit = long.MaxValue)]
    public async Task<IActionResult> Upload(List<IFormFile> files, UploadForm form, [FromServices] ImportCall.Handler import, [FromServices] IStringLocalizer<Text> text, CancellationToken ct)
    {
        var results = new List<UploadResult>();
        foreach (var file in files)
        {
            try
            {
                await using var stream = file.OpenReadStream();
                var result = await import.ImportAsync(stream, file.FileName, form.ToMetadata(), User.Current(), ct);
                results.Add(new UploadResult(file.FileName, result.CallId, result.AlreadyExisted, null));
            }
            catch (AudioRejectedException ex)
            {
                results.Add(new UploadResult(file.FileName, null, false, new Message(ex.Format, [.. ex.Args]).In(text)));
            }
            catch (ImportCall.MetadataRejectedException ex)
            {
                results.Add(new UploadResult(file.FileName, null, false, ex.Refusal.In(text)));
            }
        }
        if (files.Count == 0)
            results.Add(new UploadResult("", null, false, text["Choose at least one audio file."]));
        if (Request.IsHtmx() || Request.Headers.Accept.ToString().Contains("application/json"))
            return results.Count == 1 && results[0].Error is not null
                ? UnprocessableEntity(results[0])
                : Ok(results);
        return View("UploadResults", results);
    }

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Detail(int id, [FromServices] CallDetail.Handler handler, [FromServices] AuditLog audit, CancellationToken ct)
    {
        if (await handler.HandleAsync(id, User.Current(), ct) is not { } model)
            return NotFound();
        await audit.RecordOncePerSessionAsync(AuditActions.CallOpened, "Call", id, "call page", ct);
        return View("CallDetail", model);
    }

    /// <summary>
    /// The status panel, polled by htmx while the job is queued or running; once it has finished, the whole
    /// page reloads so the new transcript and waveform appear.
    /// </summary>
    [HttpGet("{id:int}/status")]
    public async Task<IActionResult> Status(int id, [FromServices] CallDetail.Handler handler, CancellationToken ct)
    {
        if (await handler.HandleAsync(id, User.Current(), ct) is not { } model)
            return NotFound();
        if (Request.IsHtmx() && model.Job?.Status is not (JobStatus.Queued or JobStatus.Running))
            Response.Htmx(h => h.Refresh());
        return PartialView("_Status", model);
    }

    [HttpPost("{id:int}/retranscribe")]
    public async Task<IActionResult> Retranscribe(int id, string? language, string? model, [FromServices] ModelCatalog models,
        CancellationToken ct)
    {
        if (await access.FindAsync(id, User.Current(), ct) is not { } call)
            return NotFound();
        if (call.Recording is { IsRemoved: true })
            return this.Refuse("The recording was deleted (retention or an erasure request): there is nothing to transcribe again.");
        if (!string.IsNullOrWhiteSpace(model) && models.Resolve(model) is null)
            return this.Refuse("Unknown model.");
        if (LanguageCode.Normalize(language) is not { } code)
            return this.Refuse("Unknown language code.");
        var latest = await queue.LatestForCallAsync(id, ct);
        if (latest is { Status: JobStatus.Queued or JobStatus.Running })
            await queue.CancelAsync(latest.Id, ct);
        await queue.EnqueueAsync(id, code, string.IsNullOrWhiteSpace(model) ? null : model.Trim(), User.Current().Id, ct);
        this.Flash("Transcription queued again.");
        return RedirectToAction(nameof(Detail), new { id });
    }

    [HttpPost("{id:int}/cancel")]
    public async Task<IActionResult> Cancel(int id, CancellationToken ct)
    {
        if (await access.FindAsync(id, User.Current(), ct) is null)
            return NotFound();
        if (await queue.LatestForCallAsync(id, ct) is { } job)
            await queue.CancelAsync(job.Id, ct);
        return RedirectToAction(nameof(Detail), new { id });
    }

    public sealed record UploadResult(string FileName, int? CallId, bool AlreadyExisted, string? Error);

    public sealed class UploadForm
    {
        public string? Agent { get; set; }
        public string? Team { get; set; }
        public DateTimeOffset? StartedAt { get; set; }
        public string? Direction { get; set; }
        public string? Layout { get; set; }
        public string? ExternalRef { get; set; }
        public string? CustomerPhone { get; set; }
        public string? Tags { get; set; }
        public string? Language { get; set; }

        public ImportCall.Metadata ToMetadata() => new()
        {
            Agent = Agent, Team = Team, StartedAt = StartedAt, Direction = Direction, Layout = Layout, ExternalRef = ExternalRef, CustomerPhone = CustomerPhone,
            Tags = (Tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Language = Language,
        };
    }
}
