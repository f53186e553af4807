using CallReview.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Review;

/// <summary>Agents read, acknowledge and dispute the reviews of their own calls; supervisors resolve disputes.</summary>
[Route("reviews")]
public sealed class AgentReviewsController(AgentReviews.Handler reviews) : Controller
{
    [HttpGet("mine"), Authorize(Policy = Policies.Learn)]
    public async Task<IActionResult> Mine(CancellationToken ct) => View("MyReviews", await reviews.ListAsync(User.Current(), ct));

    [HttpGet("mine/{callId:int}"), Authorize(Policy = Policies.Learn)]
    public async Task<IActionResult> Call(int callId, CancellationToken ct) =>
        await reviews.LoadAsync(callId, User.Current(), null, ct) is { } model ? View("MyReview", model) : NotFound();

    [HttpPost("mine/{callId:int}/acknowledge"), Authorize(Policy = Policies.Learn)]
    public async Task<IActionResult> Acknowledge(int callId, CancellationToken ct)
    {
        if (!await reviews.AcknowledgeAsync(callId, User.Current(), ct))
            return NotFound();
        TempData["Flash"] = "Review acknowledged.";
        return Redirect($"/reviews/mine/{callId}");
    }

    [HttpPost("mine/{callId:int}/disputes"), Authorize(Policy = Policies.Learn)]
    public async Task<IActionResult> Dispute(int callId, AgentReviews.DisputeForm form, CancellationToken ct)
    {
        switch (await reviews.DisputeAsync(callId, User.Current(), form, ct))
        {
            case null:
                return NotFound();
            case "":
                TempData["Flash"] = "Dispute sent to your supervisor.";
                return Redirect($"/reviews/mine/{callId}");
            case var error:
                return View("MyReview", await reviews.LoadAsync(callId, User.Current(), error, ct));
        }
    }

    [HttpGet("disputes"), Authorize(Policy = Policies.Supervise)]
    public async Task<IActionResult> Disputes([FromServices] ResolveDispute.Handler resolve, CancellationToken ct) =>
        View("Disputes", await resolve.OpenAsync(User.Current(), null, ct));

    [HttpPost("disputes/{disputeId:int}/resolve"), Authorize(Policy = Policies.Supervise)]
    public async Task<IActionResult> Resolve(int disputeId, ResolveDispute.Form form, [FromServices] ResolveDispute.Handler resolve, CancellationToken ct)
    {
        if ((await resolve.OpenAsync(User.Current(), disputeId, ct)).Count == 0)
            return NotFound();
        TempData["Flash"] = await resolve.ResolveAsync(disputeId, User.Current(), form, ct) ?? "Dispute resolved.";
        return Redirect("/reviews/disputes");
    }
}
