using System.Collections.Concurrent;
using System.Security.Cryptography;
using CallReview.Db;
using Dapper;
using Microsoft.Extensions.Caching.Memory;

namespace CallReview.Web.Features.Accounts;

/// <summary>
/// Sign-in sessions kept on the server: the cookie names its session, and a cookie whose session was ended
/// (signed out, user deactivated or changed, too old) is refused even though it is still validly encrypted.
/// </summary>
public sealed class Sessions(IDbConnectionFactory db, TimeProvider clock, SessionChecks checks)
{
    /// <summary>A session nobody used for this long ends (the cookie's sliding expiry).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(1);

    /// <summary>A session ends this long after sign-in however busy it is: a long shift, not a week.</summary>
    public static readonly TimeSpan AbsoluteTimeout = TimeSpan.FromHours(12);

    /// <summary>Starts a session for the user; old sessions of theirs past the absolute timeout are cleared.</summary>
    public async Task<string> StartAsync(int userId, CancellationToken ct)
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(
            """
            DELETE FROM UserSession WHERE UserId = @userId AND CreatedAt <= @expired;
            INSERT INTO UserSession (Id, UserId, CreatedAt) VALUES (@id, @userId, @now);
            """,
            new { id, userId, now, expired = now - AbsoluteTimeout });
        return id;
    }

    public async Task EndAsync(int userId, string sessionId, CancellationToken ct)
    {
        await using (var connection = await db.OpenAsync(ct))
            await connection.ExecuteAsync("DELETE FROM UserSession WHERE Id = @sessionId", new { sessionId });
        checks.Forget(userId);
    }

    /// <summary>
    /// Whether the session is still open for an active user whose security stamp is unchanged: the one
    /// lookup a signed-in request costs, unless this process found it open a moment ago (<see cref="SessionChecks"/>).
    /// </summary>
    public async Task<bool> IsOpenAsync(int userId, string sessionId, string stamp, CancellationToken ct)
    {
        var generation = checks.Generation(userId);
        if (checks.Remembers(userId, sessionId, stamp, generation))
            return true;
        await using var connection = await db.OpenAsync(ct);
        var open = await connection.ExecuteScalarAsync<int>(
            """
            SELECT COUNT(*) FROM UserSession s JOIN UserAccount u ON u.Id = s.UserId
            WHERE s.Id = @sessionId AND s.UserId = @userId AND s.CreatedAt > @startedAfter
              AND u.IsActive = 1 AND u.SecurityStamp = @stamp
            """,
            new { sessionId, userId, stamp, startedAfter = clock.GetUtcNow() - AbsoluteTimeout }) > 0;
        if (open)
            checks.Remember(userId, sessionId, stamp, generation);
        return open;
    }
}

/// <summary>
/// Sessions this process found open, remembered for a short while (<c>CallReview:Sessions:CheckSeconds</c>, 30 s;
/// 0 checks every request) so a signed-in page costs no query for it. Whatever here ends a user's sessions or
/// changes their stamp calls <see cref="Forget"/> after writing, so in this process the very next request is
/// checked again; another web process notices within the lifetime.
/// </summary>
public sealed class SessionChecks(TimeProvider clock, TimeSpan lifetime)
{
    private readonly MemoryCache _open = new(new MemoryCacheOptions());
    // Bumped by Forget: a check read before a change and remembered after it no longer matches.
    private readonly ConcurrentDictionary<int, long> _generations = new();

    private sealed record Entry(int UserId, string Stamp, long Generation, DateTimeOffset Until);

    /// <summary>How long this process trusts what it checked of a sign-in (also its decrypted cookies: <see cref="DecryptedTickets"/>).</summary>
    public TimeSpan Lifetime => lifetime;

    public long Generation(int userId) => _generations.GetValueOrDefault(userId);

    public bool Remembers(int userId, string sessionId, string stamp, long generation) =>
        _open.TryGetValue(sessionId, out Entry? entry) && entry!.UserId == userId && entry.Stamp == stamp &&
        entry.Generation == generation && clock.GetUtcNow() < entry.Until;

    public void Remember(int userId, string sessionId, string stamp, long generation)
    {
        if (lifetime > TimeSpan.Zero)
            _open.Set(sessionId, new Entry(userId, stamp, generation, clock.GetUtcNow() + lifetime), lifetime);
    }

    public void Forget(int userId) => _generations.AddOrUpdate(userId, 1, (_, generation) => generation + 1);
}
