using System.Diagnostics;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Web.Features.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CallReview.Tests.Web.Features.Accounts;

/// <summary>
/// Sign-in must not tell an unknown e-mail from a known one by how long it takes: every answer costs one
/// password hash. The real hasher is counted, so the test does not depend on the machine's speed.
/// </summary>
public sealed class SignInWorkTests(SignInWorkTests.Fixture app, ITestOutputHelper output) : IClassFixture<SignInWorkTests.Fixture>
{
    public sealed class Fixture : CallReviewApp
    {
        public CountingHasher Hasher { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IPasswordHasher<UserAccount>>(Hasher));
        }
    }

    /// <summary>ASP.NET Core's hasher, counting the verifications it does.</summary>
    public sealed class CountingHasher : IPasswordHasher<UserAccount>
    {
        private readonly PasswordHasher<UserAccount> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(UserAccount user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(UserAccount user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public async Task SignIn_UnknownOrLockedAccount_VerifiesOneHashLikeAWrongPassword()
    {
        var admin = await app.AdminAsync();
        await admin.CreateUserAsync("known@test.local", "Known User", "known-password-1", ["learner"]);
        await admin.CreateUserAsync("locked-out@test.local", "Locked User", "locked-password-1", ["learner"]);
        for (var i = 0; i < Login.MaxFailedAttempts; i++)
            await app.NewClient().SignInAsync("locked-out@test.local", "bad-password");

        var cases = new[]
        {
            ("wrong password", "known@test.local"),
            ("unknown e-mail", "nobody-here@test.local"),
            ("locked account", "locked-out@test.local"),
        };
        foreach (var (name, email) in cases)
        {
            var client = app.NewClient();
            var token = await client.TokenFromAsync("/account/login");
            var before = app.Hasher.Verifications;
            var watch = Stopwatch.StartNew();
            await client.PostAsync("/account/login", new FormUrlEncodedContent(
                [new("Email", email), new("Password", "bad-password"), new("__RequestVerificationToken", token)]));
            output.WriteLine($"{name,-16} {watch.Elapsed.TotalMilliseconds,6:F0} ms");
            Assert.True(app.Hasher.Verifications - before == 1, $"{name}: {app.Hasher.Verifications - before} password verifications, expected 1");
        }
    }
}
