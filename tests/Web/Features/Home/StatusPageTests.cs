using System.Net;

namespace CallReview.Tests.Web.Features.Home;

/// <summary>An error status in the browser is a page in the app's layout that says what happened and links back, never an empty body.</summary>
public sealed class StatusPageTests(CallReviewApp app) : IClassFixture<CallReviewApp>
{
    private static async Task AssertPageAsync(HttpResponseMessage response, HttpStatusCode status, string heading)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<header class=\"topbar\">", html);
        Assert.Contains($"<h1>{heading}</h1>", html);
        Assert.Contains("<a href=\"/\">Back to your start page</a>", html);
    }

    [Fact]
    public async Task ErrorStatuses_InTheBrowser_GetTheAppsPageWithAWayBack()
    {
        var admin = await app.AdminAsync();

        await AssertPageAsync(await admin.GetAsync("/no-such-page"), HttpStatusCode.NotFound, "Not found");
        await AssertPageAsync(await admin.GetAsync("/calls/999999"), HttpStatusCode.NotFound, "Not found");
        await AssertPageAsync(await admin.PostAsync("/admin/teams", new FormUrlEncodedContent([new("Name", "No token")])), HttpStatusCode.BadRequest, "Bad request");
        await AssertPageAsync(await admin.GetAsync("/account/logout"), HttpStatusCode.MethodNotAllowed, "Wrong kind of request");
        using var htmx = new HttpRequestMessage(HttpMethod.Get, "/practice");
        htmx.Headers.Add("HX-Request", "true");
        await AssertPageAsync(await admin.SendAsync(htmx), HttpStatusCode.Forbidden, "Not allowed");
    }
}
