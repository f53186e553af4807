using CallReview.Web.Features.Audit;
using System.Security.Cryptography;
using System.Text;
using CallReview.Db;
using Dapper;

namespace CallReview.Web.Features.Api;

/// <summary>
/// API keys for integrations (telephony systems, scripts). A key acts as the user it was created for; only
/// its sha256 is stored, so a leaked database does not leak usable keys.
/// </summary>
public sealed class ApiKeyStore(IDbConnectionFactory db, TimeProvider clock, AuditLog audit)
{
    private const string KeyPrefix = "cr_";

    public sealed class KeyOwner
    {
        public int KeyId { get; init; }
        public int UserId { get; init; }
    }

    public sealed class Row
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public string Prefix { get; init; } = "";
        public string UserEmail { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? LastUsedAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
    }

    /// <summary>Creates a key for a user and returns it in clear text; it cannot be shown again.</summary>
    public async Task<string> CreateAsync(int userId, string name, CancellationToken ct)
    {
        var key = KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var connection = await db.OpenAsync(ct);
        var prefix = key[..(KeyPrefix.Length + 6)];
        var id = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("ApiKey",
            "UserId, Name, Prefix, KeyHash, CreatedAt", "@userId, @name, @prefix, @hash, @now"),
            new { userId, name, prefix, hash = Hash(key), now = clock.GetUtcNow() });
        // The prefix only, never the key.
        await audit.RecordAsync(AuditActions.ApiKeyCreated, "ApiKey", id, $"user {userId}, \"{name}\", {prefix}…", ct);
        return key;
    }

    public async Task<KeyOwner?> FindActiveAsync(string key, CancellationToken ct)
    {
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal) || key.Length > 200)
            return null;
        await using var connection = await db.OpenAsync(ct);
        var owner = await connection.QuerySingleOrDefaultAsync<KeyOwner>(
            """
            SELECT k.Id AS KeyId, k.UserId FROM ApiKey k JOIN UserAccount u ON u.Id = k.UserId
            WHERE k.KeyHash = @hash AND k.RevokedAt IS NULL AND u.IsActive = 1
            """, new { hash = Hash(key) });
        if (owner is not null)
            await connection.ExecuteAsync("UPDATE ApiKey SET LastUsedAt = @now WHERE Id = @KeyId", new { now = clock.GetUtcNow(), owner.KeyId });
        return owner;
    }

    public async Task<IReadOnlyList<Row>> ListAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Row>(
            """
            SELECT k.Id, k.Name, k.Prefix, u.Email AS UserEmail, k.CreatedAt, k.LastUsedAt, k.RevokedAt
            FROM ApiKey k JOIN UserAccount u ON u.Id = k.UserId ORDER BY k.CreatedAt DESC
            """)).ToList();
    }

    public async Task RevokeAsync(int id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (await connection.ExecuteAsync("UPDATE ApiKey SET RevokedAt = @now WHERE Id = @id AND RevokedAt IS NULL", new { id, now = clock.GetUtcNow() }) > 0)
            await audit.RecordAsync(AuditActions.ApiKeyRevoked, "ApiKey", id, null, ct);
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
