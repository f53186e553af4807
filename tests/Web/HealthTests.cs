using System.Net;
using System.Text.Json;

namespace CallReview.Tests.Web;

public sealed class HealthTests : IClassFixture<CallReviewApp>
{
    private readonly CallReviewApp _app;

    public HealthTests(CallReviewApp app) => _app = app;

    [Fact]
    public async Task Healthz_IsAnonymousJsonWithDatabaseAndFfmpeg()
    {
        var response = await _app.NewClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(json.RootElement.GetProperty("status").GetString(), new[] { "Healthy", "Degraded" });
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Contains("Sqlite", checks.GetProperty("database").GetProperty("description").GetString());
        Assert.Equal("Healthy", checks.GetProperty("ffmpeg").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Favicon_IsServedToAnyone()
    {
        var response = await _app.NewClient().GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/x-icon", response.Content.Headers.ContentType?.MediaType);
    }
}
