using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Admin;

[Route("admin/users"), Authorize(Policy = Policies.Administer)]
public sealed class UsersController(TeamList.Handler teams) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index([FromServices] UserList.Handler handler, CancellationToken ct) =>
        View("Users", await handler.HandleAsync(ct));

    [HttpGet("new")]
    public async Task<IActionResult> New(CancellationToken ct) =>
        View("UserEdit", new SaveUser.Model(new SaveUser.Form(), await teams.ListAsync(ct)));

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Edit(int id, [FromServices] SaveUser.Handler handler, CancellationToken ct) =>
        await handler.LoadAsync(id, ct) is { } form
            ? View("UserEdit", new SaveUser.Model(form, await teams.ListAsync(ct)))
            : NotFound();

    [HttpPost("save")]
    public async Task<IActionResult> Save(SaveUser.Form form, [FromServices] SaveUser.Handler handler, CancellationToken ct)
    {
        if (!ModelState.IsValid)
            return View("UserEdit", new SaveUser.Model(form, await teams.ListAsync(ct)));
        return await this.Answer(await handler.SaveAsync(form, User.Current().Id, ct),
            _ =>
            {
                this.Flash(new Message("Saved {0}.", form.Email));
                return RedirectToAction(nameof(Index));
            },
            async () => View("UserEdit", new SaveUser.Model(form, await teams.ListAsync(ct))));
    }
}
