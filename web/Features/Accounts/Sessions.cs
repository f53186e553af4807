using System.Security.Cryptography;
using CallReview.Db;
using Dapper;

namespace CallReview.Web.Features.Accounts;

/// <summary>
/// Sign-in sessions kept on the server: the cookie names its session, and a cookie whose session was ended
/// (signed out, user deactivated or changed, too old) is refused even though it is still validly encrypted.
/// </summary>
public sealed class Sessions(IDbConnectionFactory db, TimeProvider clock)
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

    public async Task EndAsync(string sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync("DELETE FROM UserSession WHERE Id = @sessionId", new { sessionId });
    }

    /// <summary>
    /// Whether the session is still open for an active user whose security stamp is unchanged: the one
    /// lookup a signed-in request costs.
    /// </summary>
    public async Task<bool> IsOpenAsync(int userId, string sessionId, string stamp, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(
            """
            SELECT COUNT(*) FROM UserSession s JOIN UserAccount u ON u.Id = s.UserId
            WHERE s.Id = @sessionId AND s.UserId = @userId AND s.CreatedAt > @startedAfter
              AND u.IsActive = 1 AND u.SecurityStamp = @stamp
            """,
            new { sessionId, userId, stamp, startedAfter = clock.GetUtcNow() - AbsoluteTimeout }) > 0;
    }
}
