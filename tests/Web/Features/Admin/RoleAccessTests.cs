using System.Net;
using CallReview.Tests.Web.Features.Review;

namespace CallReview.Tests.Web.Features.Admin;

/// <summary>Each role reaches its own pages, sees only its navigation, and is refused the others.</summary>
public sealed class RoleAccessTests : IClassFixture<RoleAccessTests.Fixture>
{
    public sealed class Fixture : CallReviewApp, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            var admin = await AdminAsync();
            var north = await admin.CreateTeamAsync("North");
            var south = await admin.CreateTeamAsync("South");
            await admin.CreateUserAsync("rita@test.local", "Rita Reviewer", "reviewer-pass-1", ["reviewer"], north);
            await admin.CreateUserAsync("leo@test.local", "Leo Learner", "learner-pass-1", ["learner"], south);
            await admin.CreateUserAsync("sue@test.local", "Sue Supervisor", "supervisor-pass-1", ["supervisor"], north, south);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private readonly Fixture _app;

    public RoleAccessTests(Fixture app) => _app = app;

    public static TheoryData<string, string, string, HttpStatusCode> Matrix => new()
    {
        { "rita@test.local", "reviewer-pass-1", "/calls", HttpStatusCode.OK },
        { "rita@test.local", "reviewer-pass-1", "/admin/users", HttpStatusCode.Redirect },
        { "rita@test.local", "reviewer-pass-1", "/trends", HttpStatusCode.Redirect },
        { "rita@test.local", "reviewer-pass-1", "/practice", HttpStatusCode.Redirect },
        { "leo@test.local", "learner-pass-1", "/practice", HttpStatusCode.OK },
        { "leo@test.local", "learner-pass-1", "/calls", HttpStatusCode.Redirect },
        { "leo@test.local", "learner-pass-1", "/admin/teams", HttpStatusCode.Redirect },
        { "sue@test.local", "supervisor-pass-1", "/trends", HttpStatusCode.OK },
        { "sue@test.local", "supervisor-pass-1", "/calls", HttpStatusCode.OK },
        { "sue@test.local", "supervisor-pass-1", "/admin/users", HttpStatusCode.Redirect },
        { CallReviewApp.AdminEmail, CallReviewApp.AdminPassword, "/admin/users", HttpStatusCode.OK },
        { CallReviewApp.AdminEmail, CallReviewApp.AdminPassword, "/practice", HttpStatusCode.Redirect },
    };

    [Theory, MemberData(nameof(Matrix))]
    public async Task Page_ForRole_IsServedOrRefused(string email, string password, string path, HttpStatusCode expected)
    {
        var client = await _app.SignedInAsync(email, password);
        var response = await client.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Redirect)
            Assert.StartsWith("/account/denied", response.Headers.Location!.OriginalString.Replace("http://localhost", ""));
    }

    [Fact]
    public async Task AccessDeniedPage_Answers403()
    {
        var client = await _app.SignedInAsync("leo@test.local", "learner-pass-1");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/account/denied")).StatusCode);
    }

    [Theory]
    [InlineData("rita@test.local", "reviewer-pass-1", new[] { "/calls" }, new[] { "/trends", "/practice", "/admin/users" })]
    [InlineData("leo@test.local", "learner-pass-1", new[] { "/practice" }, new[] { "/calls", "/trends", "/admin/users" })]
    [InlineData("sue@test.local", "supervisor-pass-1", new[] { "/calls", "/trends" }, new[] { "/practice", "/admin/users" })]
    public async Task Navigation_ShowsOnlyTheRolesLinks(string email, string password, string[] shown, string[] hidden)
    {
        var client = await _app.SignedInAsync(email, password);
        var html = await client.GetStringAsync(shown[0]);
        var nav = html[html.IndexOf("<nav", StringComparison.Ordinal)..html.IndexOf("</nav>", StringComparison.Ordinal)];
        foreach (var link in shown)
            Assert.Contains($"href=\"{link}\"", nav);
        foreach (var link in hidden)
            Assert.DoesNotContain($"href=\"{link}\"", nav);
    }

    [Theory]
    [InlineData("gone@test.local", "reviewer", "false")]
    [InlineData("moved@test.local", "learner", "true")]
    public async Task DeactivatedUserOrRoleTakenAway_IsSignedOutOnNextRequest(string email, string role, string isActive)
    {
        var admin = await _app.AdminAsync();
        await admin.CreateUserAsync(email, "Changed Soon", "changed-pass-123", ["reviewer"]);
        var changed = await _app.SignedInAsync(email, "changed-pass-123");
        // This request's session check is remembered in the process for a while: the change must forget it.
        Assert.Equal(HttpStatusCode.OK, (await changed.GetAsync("/calls")).StatusCode);

        var id = (await _app.UserIdAsync(email)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = await admin.PostFormAsync("/admin/users/save",
            [new("Id", id), new("Email", email), new("DisplayName", "Changed Soon"), new("Roles", role), new("IsActive", isActive)],
            $"/admin/users/{id}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await changed.GetAsync("/calls")).StatusCode);
        Assert.StartsWith("/account/login", (await changed.GetAsync("/calls")).Headers.Location!.AbsolutePath);
    }
}
