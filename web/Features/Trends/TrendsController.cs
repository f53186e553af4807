using CallReview.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Trends;

[Route("trends"), Authorize(Policy = Policies.Supervise)]
public sealed class TrendsController : Controller
{
    [HttpGet("")]
    public IActionResult Index() => View("Trends");
}
