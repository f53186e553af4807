using System.Net;
using CallReview.Web.Features.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Accounts;

/// <summary>Idle and absolute session timeouts, on a clock the test moves.</summary>
public sealed class SessionTimeoutTests(SessionTimeoutTests.Fixture app) : IClassFixture<SessionTimeoutTests.Fixture>
{
    public sealed class Fixture : CallReviewApp
    {
        public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }

    [Fact]
    public async Task Session_UnusedForLongerThanTheIdleTimeout_Ends()
    {
        var client = await app.AdminAsync();
        app.Clock.Advance(Sessions.IdleTimeout - TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/users")).StatusCode);

        app.Clock.Advance(Sessions.IdleTimeout + TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin/users")).StatusCode);
    }

    [Fact]
    public async Task Session_KeptBusyPastTheAbsoluteTimeout_Ends()
    {
        var client = await app.AdminAsync();
        // A request every 35 minutes: always inside the idle timeout, and each one renews the cookie.
        var step = TimeSpan.FromMinutes(35);
        for (var busy = TimeSpan.Zero; busy < Sessions.AbsoluteTimeout; busy += step)
        {
            Assert.True((await client.GetAsync("/admin/users")).StatusCode == HttpStatusCode.OK, $"signed out after {busy}");
            app.Clock.Advance(step);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin/users")).StatusCode);
    }
}
