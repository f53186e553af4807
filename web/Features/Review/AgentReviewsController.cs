using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
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
        await reviews.LoadAsync(callId, User.Current(), ct) is { } model ? View("MyReview", model) : NotFound();

    [HttpPost("mine/{callId:int}/acknowledge"), Authorize(Policy = Policies.Learn)]
    public async Task<IActionResult> Acknowledge(int callId, CancellationToken ct)
    {
        return this.Answer(await reviews.AcknowledgeAsync(callId, User.Current(), ct),
            _ =>
            {
                this.Flash("Review acknowledged.");
                return Redirect($"/reviews/mine/{callId}");
            });
    }

    [HttpPost("mine/{callId:int}/disputes"), Authorize(Policy = Policies.Learn)]
    public async Task<IActionResult> Dispute(int callId, AgentReviews.DisputeForm form, CancellationToken ct)
    {
        return await this.Answer(await reviews.DisputeAsync(callId, User.Current(), form, ct),
            _ =>
            {
                this.Flash("Dispute sent to your supervisor.");
                return Redirect($"/reviews/mine/{callId}");
            },
            async () => View("MyReview", await reviews.LoadAsync(callId, User.Current(), ct)));
    }

    [HttpGet("disputes"), Authorize(Policy = Policies.Supervise)]
    public async Task<IActionResult> Disputes([FromServices] ResolveDispute.Handler resolve, CancellationToken ct) =>
        View("Disputes", await resolve.OpenAsync(User.Current(), null, ct));

    [HttpPost("disputes/{disputeId:int}/resolve"), Authorize(Policy = Policies.Supervise)]
    public async Task<IActionResult> Resolve(int disputeId, ResolveDispute.Form form, [FromServices] ResolveDispute.Handler resolve, CancellationToken ct)
    {
        return await this.Answer(await resolve.ResolveAsync(disputeId, User.Current(), form, ct),
            _ =>
            {
                this.Flash("Dispute resolved.");
                return Redirect("/reviews/disputes");
            },
            async () => View("Disputes", await resolve.OpenAsync(User.Current(), null, ct)));
    }
}
