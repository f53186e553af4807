namespace CallReview.Tests.Web.Infrastructure;

/// <summary>One URL, two answers: the page for a browser, the fragment for htmx, and a Vary header that keeps caches from mixing them.</summary>
public sealed class HtmxViewsTests(CallReviewApp app) : IClassFixture<CallReviewApp>
{
    [Fact]
    public async Task CallList_BrowserGetsThePage_HtmxGetsTheRows_BothVaryOnHxRequest()
    {
        var admin = await app.AdminAsync();

        var page = await admin.GetAsync("/calls");
        using var htmx = new HttpRequestMessage(HttpMethod.Get, "/calls");
        htmx.Headers.Add("HX-Request", "true");
        var fragment = await admin.SendAsync(htmx);

        var pageHtml = await page.Content.ReadAsStringAsync();
        var fragmentHtml = await fragment.Content.ReadAsStringAsync();
        Assert.Contains("<header class=\"topbar\">", pageHtml);
        Assert.Contains("<div id=\"call-rows\"", pageHtml);
        Assert.StartsWith("<div id=\"call-rows\"", fragmentHtml.TrimStart());
        Assert.DoesNotContain("<header", fragmentHtml);
        Assert.Contains("HX-Request", page.Headers.Vary);
        Assert.Contains("HX-Request", fragment.Headers.Vary);
    }
}
