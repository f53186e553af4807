using System.Net;

namespace CallReview.Tests.Web.Features.Trends;

/// <summary>
/// A fresh installation (an admin, no team, no call) opens every filter page: a drop-down of teams read from an
/// empty table must not stop the page (SQLite reports an empty result's computed column as bytes).
/// </summary>
public sealed class EmptyInstallationTests(CallReviewApp app) : IClassFixture<CallReviewApp>
{
    [Theory]
    [InlineData("/trends")]
    [InlineData("/calls")]
    public async Task FilterPages_OpenWithNoTeamsYet(string page)
    {
        var admin = await app.AdminAsync();
        var response = await admin.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
