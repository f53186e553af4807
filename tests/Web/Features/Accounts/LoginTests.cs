using System.Net;
using CallReview.Db;
using CallReview.Tests.Web.Features.Admin;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Accounts;

public sealed class LoginTests : IClassFixture<CallReviewApp>
{
    private readonly CallReviewApp _app;

    public LoginTests(CallReviewApp app) => _app = app;

    [Fact]
    public async Task SignIn_WithRightPassword_RedirectsAndSetsCookie()
    {
        var client = _app.NewClient();
        var response = await client.SignInAsync(CallReviewApp.AdminEmail, CallReviewApp.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("callreview.auth=", StringComparison.Ordinal));
        var home = await client.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task SignIn_WithWrongPassword_ShowsErrorAndStaysAnonymous()
    {
        var client = _app.NewClient();
        var response = await client.SignInAsync(CallReviewApp.AdminEmail, "wrong-password");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or password is not right.", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin/users")).StatusCode);
    }

    [Fact]
    public async Task SignIn_AfterFiveFailures_LocksOutEvenWithRightPassword()
    {
        var admin = await _app.AdminAsync();
        await admin.CreateUserAsync("locked@test.local", "Locked Out", "right-password-1", ["learner"]);
        var client = _app.NewClient();
        for (var i = 0; i < 5; i++)
            await client.SignInAsync("locked@test.local", "bad-password");

        var response = await client.SignInAsync("locked@test.local", "right-password-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("locked", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignIn_TwelveParallelWrongPasswords_CountEveryFailureAndLock()
    {
        var admin = await _app.AdminAsync();
        await admin.CreateUserAsync("burst@test.local", "Burst Target", "right-password-1", ["learner"]);

        await WrongPasswordsAtOnceAsync("burst@test.local", 4);
        await using (var connection = await _app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
            Assert.Equal(4, await connection.ExecuteScalarAsync<int>("SELECT FailedLoginCount FROM UserAccount WHERE Email = 'burst@test.local'"));
        await WrongPasswordsAtOnceAsync("burst@test.local", 8);
        var afterwards = await _app.NewClient().SignInAsync("burst@test.local", "right-password-1");

        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Contains("locked", await afterwards.Content.ReadAsStringAsync());
    }

    /// <summary>Wrong-password posts from separate browsers, tokens fetched first, so the posts really overlap.</summary>
    private async Task WrongPasswordsAtOnceAsync(string email, int count)
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            var client = _app.NewClient();
            return (client, token: await client.TokenFromAsync("/account/login"));
        }));
        var responses = await Task.WhenAll(attempts.Select(a => a.client.PostAsync("/account/login", new FormUrlEncodedContent(
            [new("Email", email), new("Password", "bad-password"), new("__RequestVerificationToken", a.token)]))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_IsRejected()
    {
        var client = _app.NewClient();
        await client.GetAsync("/account/login");
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(
            [new("Email", CallReviewApp.AdminEmail), new("Password", CallReviewApp.AdminPassword)]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task HtmxPost_WithTokenInHeader_IsAccepted_AndWithoutIsRejected()
    {
        var admin = await _app.AdminAsync();
        var token = await admin.TokenFromAsync("/admin/teams");

        var withoutToken = new HttpRequestMessage(HttpMethod.Post, "/admin/teams") { Content = new FormUrlEncodedContent([new("Name", "Htmx Team A")]) };
        withoutToken.Headers.Add("HX-Request", "true");
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(withoutToken)).StatusCode);

        var withToken = new HttpRequestMessage(HttpMethod.Post, "/admin/teams") { Content = new FormUrlEncodedContent([new("Name", "Htmx Team A")]) };
        withToken.Headers.Add("HX-Request", "true");
        withToken.Headers.Add("RequestVerificationToken", token);
        var response = await admin.SendAsync(withToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fragment = await response.Content.ReadAsStringAsync();
        Assert.Contains("Htmx Team A", fragment);
        Assert.DoesNotContain("<html", fragment);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var client = await _app.AdminAsync();
        var response = await client.PostFormAsync("/account/logout", [], "/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin/users")).StatusCode);
    }

    [Fact]
    public async Task SignOut_ReplayedCookie_IsRefused()
    {
        var client = _app.NewClient();
        var signIn = await client.SignInAsync(CallReviewApp.AdminEmail, CallReviewApp.AdminPassword);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("callreview.auth=", StringComparison.Ordinal)).Split(';')[0];
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync("/account/logout", [], "/admin/users")).StatusCode);

        var replay = new HttpRequestMessage(HttpMethod.Get, "/admin/users");
        replay.Headers.Add("Cookie", cookie);
        var response = await _app.NewClient().SendAsync(replay);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.AbsolutePath);
    }
}
