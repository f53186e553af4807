using System.Threading.RateLimiting;

namespace CallReview.Web.Features.Accounts;

/// <summary>
/// Ceilings on sign-in attempts, per account and per address, kept in memory. The per-account ceiling stops
/// anyone from spending the server's password hashing on one account (the lockout stops the guessing
/// itself); the per-address ceiling is high because a whole contact-centre floor signs in through one NAT
/// address at the start of a shift.
/// </summary>
public sealed class SignInLimits : IDisposable
{
    public const int DefaultPerAddressPerMinute = 300;
    public const int DefaultPerAccountPerMinute = 20;

    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perAccount;

    public SignInLimits(IConfiguration configuration)
    {
        _perAddress = PerMinute(configuration.GetValue("CallReview:SignIn:PerAddressPerMinute", DefaultPerAddressPerMinute));
        _perAccount = PerMinute(configuration.GetValue("CallReview:SignIn:PerAccountPerMinute", DefaultPerAccountPerMinute));
    }

    /// <summary>Takes one attempt from both ceilings; null when allowed, else how long to wait.</summary>
    public TimeSpan? TryAttempt(string? address, string? email)
    {
        using var byAddress = _perAddress.AttemptAcquire(address ?? "unknown");
        if (!byAddress.IsAcquired)
            return RetryAfter(byAddress);
        using var byAccount = _perAccount.AttemptAcquire(AccountStore.Normalize(email ?? ""));
        return byAccount.IsAcquired ? null : RetryAfter(byAccount);
    }

    private static PartitionedRateLimiter<string> PerMinute(int permits) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : TimeSpan.FromMinutes(1);

    public void Dispose()
    {
        _perAddress.Dispose();
        _perAccount.Dispose();
    }
}
