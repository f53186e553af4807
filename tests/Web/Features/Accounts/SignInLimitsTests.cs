using System.Net;
using CallReview.Web.Features.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Accounts;

/// <summary>Sign-in ceilings per account and per address, with the app's defaults.</summary>
public sealed class SignInLimitsTests(CallReviewApp app) : IClassFixture<CallReviewApp>
{
    [Fact]
    public async Task SignIn_FortyPeopleBehindOneAddress_AllGetIn()
    {
        var people = Enumerable.Range(1, 40).Select(i => $"floor-{i}@test.local").ToList();
        using (var scope = app.Services.CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountStore>();
            foreach (var email in people)
                await accounts.CreateAsync(new NewAccount(email, email, "shift-start-1", [Roles.Learner], []));
        }

        // The in-memory server gives every request the same (absent) address: one NAT, as on a floor.
        var statuses = new List<HttpStatusCode>();
        foreach (var batch in people.Chunk(4))
            statuses.AddRange((await Task.WhenAll(batch.Select(email => app.NewClient().SignInAsync(email, "shift-start-1")))).Select(r => r.StatusCode));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Redirect, s));
    }

    [Fact]
    public async Task SignIn_OverTheAccountCeiling_Answers429WithRetryAfterOnAStyledPage()
    {
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<AccountStore>().CreateAsync(
                new NewAccount("hammered@test.local", "Hammered", "right-password-1", [Roles.Learner], []));
        var client = app.NewClient();
        for (var i = 0; i < SignInLimits.DefaultPerAccountPerMinute; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.SignInAsync("hammered@test.local", "bad-password")).StatusCode);

        var refused = await client.SignInAsync("HAMMERED@test.local", "right-password-1");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After: {refused.Headers.RetryAfter}");
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("class=\"topbar\"", page);
        Assert.Contains("Too many sign-in attempts", page);
        Assert.Contains("try again", page);
        // Other accounts behind the same address are not held up.
        Assert.Equal(HttpStatusCode.Redirect, (await app.NewClient().SignInAsync(CallReviewApp.AdminEmail, CallReviewApp.AdminPassword)).StatusCode);
    }
}

/// <summary>The per-address ceiling, lowered so the test reaches it quickly.</summary>
public sealed class SignInAddressLimitTests : IClassFixture<SignInAddressLimitTests.Fixture>
{
    public sealed class Fixture : CallReviewApp
    {
        public Fixture() => Settings["CallReview:SignIn:PerAddressPerMinute"] = "5";
    }

    private readonly Fixture _app;

    public SignInAddressLimitTests(Fixture app) => _app = app;

    [Fact]
    public async Task SignIn_OverTheAddressCeiling_Answers429EvenForNewAccounts()
    {
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await _app.NewClient().SignInAsync($"sprayed-{i}@test.local", "guess-1")).StatusCode);

        var refused = await _app.NewClient().SignInAsync("sprayed-5@test.local", "guess-1");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
    }
}
