using System.Net;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace CallReview.Tests.Web.Features.Shared;

/// <summary>
/// The notice a form leaves for the page it redirects to (TempData's cookie): shown once, on that page; a page with no
/// notice waiting neither reads that cookie nor answers with a header deleting it.
/// </summary>
public sealed class FlashesTests(CallReviewApp app) : IClassFixture<CallReviewApp>
{
    [Fact]
    public async Task Notice_IsShownOnceOnTheNextPage_AndPagesWithoutOneSetNoNoticeCookie()
    {
        var admin = await app.AdminAsync();
        Assert.Empty(NoticeCookies(await admin.GetAsync("/account")));

        var saved = await admin.PostFormAsync("/account/language", [new("Language", "")], "/account");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Single(NoticeCookies(saved));

        var shown = await admin.GetAsync("/account");
        Assert.Contains("<p class=\"flash\" role=\"status\">Your language was saved.</p>", await shown.Content.ReadAsStringAsync());
        Assert.Contains("expires=Thu, 01 Jan 1970", Assert.Single(NoticeCookies(shown)));

        var next = await admin.GetAsync("/account");
        Assert.DoesNotContain("Your language was saved.", await next.Content.ReadAsStringAsync());
        Assert.Empty(NoticeCookies(next));
    }

    private static IEnumerable<string> NoticeCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Where(c => c.StartsWith(CookieTempDataProvider.CookieName + "=", StringComparison.Ordinal))
            : [];
}
