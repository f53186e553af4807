using CallReview.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Calls;

[Route("calls"), Authorize(Policy = Policies.ManageCalls)]
public sealed class CallsController : Controller
{
    [HttpGet("")]
    public IActionResult Index() => View("Calls");
}
