using CallReview.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Practice;

[Route("practice"), Authorize(Policy = Policies.Learn)]
public sealed class PracticeController : Controller
{
    [HttpGet("")]
    public IActionResult Index() => View("Practice");
}
