using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Api;
using CallReview.Web.Features.Calls;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Signals;

/// <summary>A call's signals for scripts and dashboards, with the same access as the call itself (another team's call: 404).</summary>
[ApiController, Route("api/calls/{id:int}/signals"), ApiAntiforgery]
[Authorize(AuthenticationSchemes = ApiKeyAuthentication.KeyOrCookie)]
public sealed class SignalsApiController(CallAccess access, CallSignals.Handler signals) : ControllerBase
{
    public sealed record Signal(string Rule, double Start, double End, double Value, double Threshold, string? Speaker, string Status, string Explanation);

    public sealed record SignalList(IReadOnlyList<Signal> Signals);

    [HttpGet("")]
    public async Task<IActionResult> List(int id, CancellationToken ct)
    {
        if (await access.FindAsync(id, User.Current(), ct) is null)
            return NotFound();
        return Ok(new SignalList((await signals.ListAsync(id, ct))
            .Select(s => new Signal(s.RuleCode, s.StartMs / 1000.0, s.EndMs / 1000.0, s.Value, s.Threshold, s.Speaker, s.Status, s.Explanation))
            .ToList()));
    }
}
