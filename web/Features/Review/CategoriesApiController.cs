using CallReview.Web.Features.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Web.Features.Review;

/// <summary><c>GET /api/categories</c>: every need category, active or not (annotations may use a retired one); any signed-in user.</summary>
[ApiController, Route("api/categories"), Authorize(AuthenticationSchemes = ApiKeyAuthentication.KeyOrCookie)]
public sealed class CategoriesApiController(NeedCategories.Handler categories) : ControllerBase
{
    public sealed record CategoryJson(string Code, string Name, string Description, bool Active);

    [HttpGet("")]
    public async Task<IEnumerable<CategoryJson>> List(CancellationToken ct) =>
        (await categories.ListAsync(activeOnly: false, ct, asStored: true)).Select(c => new CategoryJson(c.Code, c.Name, c.Description, c.IsActive));
}
