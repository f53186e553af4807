using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace CallReview.Web.Features.Accounts;

/// <summary>
/// The sign-in cookie's format, remembering what a cookie decrypted to for a short while (the lifetime of
/// <see cref="SessionChecks"/>, <c>CallReview:Sessions:CheckSeconds</c>): decrypting it (a key derivation, AES and an
/// HMAC) is the largest part of a signed-in page's cost that has nothing to do with the page.
/// Nothing it remembers lets a request through that the cookie alone would not: only cookies that decrypted are kept,
/// keyed by their whole text; the cookie handler still checks the ticket's expiry, and <see cref="CookieValidation"/>
/// still checks the session and security stamp, on every request. Each request gets its own copy, so nothing one
/// request does to its principal reaches the next. A revoked data-protection key stops being honoured here within the
/// lifetime (the key ring itself is re-read only daily); a cookie that never decrypted is never kept, and at most
/// <see cref="Capacity"/> are, so the memory is bounded by cookies this server issued.
/// </summary>
public sealed class DecryptedTickets(ISecureDataFormat<AuthenticationTicket> format, TimeProvider clock, TimeSpan lifetime)
    : ISecureDataFormat<AuthenticationTicket>
{
    public const int Capacity = 10_000;

    private readonly MemoryCache _decrypted = new(new MemoryCacheOptions { SizeLimit = Capacity });

    private sealed record Entry(AuthenticationTicket Ticket, DateTimeOffset Until);

    public string Protect(AuthenticationTicket data) => format.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => format.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        // A purpose (TLS token binding) ties the ticket to more than its text: not remembered.
        if (protectedText is null || purpose is not null || lifetime <= TimeSpan.Zero)
            return format.Unprotect(protectedText, purpose);
        if (_decrypted.TryGetValue(protectedText, out Entry? entry) && clock.GetUtcNow() < entry!.Until)
            return Copy(entry.Ticket);
        var ticket = format.Unprotect(protectedText);
        if (ticket is not null)
            _decrypted.Set(protectedText, new Entry(Copy(ticket), clock.GetUtcNow() + lifetime),
                new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime });
        return ticket;
    }

    // ClaimsPrincipal.Clone shares its identities: each is cloned so a claim added to one copy stays there.
    private static AuthenticationTicket Copy(AuthenticationTicket ticket) =>
        new(new ClaimsPrincipal(ticket.Principal.Identities.Select(identity => identity.Clone())),
            ticket.Properties.Clone(), ticket.AuthenticationScheme);
}
