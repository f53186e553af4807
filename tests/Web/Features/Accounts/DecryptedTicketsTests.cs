using System.Security.Claims;
using CallReview.Web.Features.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallReview.Tests.Web.Features.Accounts;

/// <summary>The sign-in cookie decrypted once a while, not on every request, and never trusted beyond what it says.</summary>
public sealed class DecryptedTicketsTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private sealed class CountingFormat(ISecureDataFormat<AuthenticationTicket> format) : ISecureDataFormat<AuthenticationTicket>
    {
        public int Decrypted { get; private set; }
        public string Protect(AuthenticationTicket data) => format.Protect(data);
        public string Protect(AuthenticationTicket data, string? purpose) => format.Protect(data, purpose);
        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Decrypted++;
            return format.Unprotect(protectedText, purpose);
        }
    }

    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly CountingFormat _format = new(new TicketDataFormat(new EphemeralDataProtectionProvider().CreateProtector("test")));

    private string Cookie() => _format.Protect(new AuthenticationTicket(
        new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "reviewer@example.test")], "test")),
        new AuthenticationProperties { ExpiresUtc = _clock.GetUtcNow().AddHours(1) }, "Cookies"));

    [Fact]
    public void SameCookie_IsDecryptedOnce_AndEachRequestGetsItsOwnCopy()
    {
        var tickets = new DecryptedTickets(_format, _clock, Lifetime);
        var cookie = Cookie();

        var first = tickets.Unprotect(cookie)!;
        ((ClaimsIdentity)first.Principal.Identity!).AddClaim(new Claim(ClaimTypes.Role, "admin"));
        first.Properties.Items["changed"] = "by the first request";
        var second = tickets.Unprotect(cookie)!;

        Assert.Equal(1, _format.Decrypted);
        Assert.Equal("reviewer@example.test", second.Principal.Identity!.Name);
        Assert.False(second.Principal.IsInRole("admin"));
        Assert.False(second.Properties.Items.ContainsKey("changed"));
        Assert.Equal(first.Properties.ExpiresUtc, second.Properties.ExpiresUtc);
    }

    [Fact]
    public void AfterTheLifetime_TheCookieIsDecryptedAgain()
    {
        var tickets = new DecryptedTickets(_format, _clock, Lifetime);
        var cookie = Cookie();
        tickets.Unprotect(cookie);

        _clock.Advance(Lifetime);
        Assert.NotNull(tickets.Unprotect(cookie));

        Assert.Equal(2, _format.Decrypted);
    }

    [Fact]
    public void CookieThatDoesNotDecrypt_IsRefusedEveryTime_AndNotKept()
    {
        var tickets = new DecryptedTickets(_format, _clock, Lifetime);
        var cookie = Cookie();
        var tampered = cookie[..^4] + (cookie[^4] == 'A' ? "B" : "A") + cookie[^3..];

        Assert.Null(tickets.Unprotect(tampered));
        Assert.Null(tickets.Unprotect(tampered));
        Assert.Null(tickets.Unprotect("not a cookie"));

        Assert.Equal(3, _format.Decrypted);
    }

    [Fact]
    public void LifetimeZero_DecryptsEveryRequest()
    {
        var tickets = new DecryptedTickets(_format, _clock, TimeSpan.Zero);
        var cookie = Cookie();
        tickets.Unprotect(cookie);
        tickets.Unprotect(cookie);

        Assert.Equal(2, _format.Decrypted);
    }

    [Fact]
    public void TheAppsSignInCookie_UsesIt()
    {
        using var app = new CallReviewApp();
        var cookie = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(CookieAuthenticationDefaults.AuthenticationScheme);

        Assert.IsType<DecryptedTickets>(cookie.TicketDataFormat);
    }
}
