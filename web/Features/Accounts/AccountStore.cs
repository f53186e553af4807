using System.Data.Common;
using System.Security.Cryptography;
using CallReview.Db;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace CallReview.Web.Features.Accounts;

/// <summary>Reads and writes user accounts; the one place passwords are hashed and memberships are stored.</summary>
public sealed class AccountStore(IDbConnectionFactory db, IPasswordHasher<UserAccount> hasher, TimeProvider clock, SessionChecks checks)
{
    public async Task<UserAccount?> FindByEmailAsync(string email, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UserAccount>(
            $"SELECT {UserAccount.Columns} FROM UserAccount WHERE Email = @Email", new { Email = Normalize(email) });
    }

    public async Task<UserAccount?> FindByIdAsync(int id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<UserAccount>(
            $"SELECT {UserAccount.Columns} FROM UserAccount WHERE Id = @Id", new { Id = id });
    }

    public async Task<(IReadOnlyList<string> Roles, IReadOnlyList<int> TeamIds)> MembershipsAsync(int userId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var roles = await connection.QueryAsync<string>("SELECT Role FROM UserRole WHERE UserId = @userId ORDER BY Role", new { userId });
        var teams = await connection.QueryAsync<int>("SELECT TeamId FROM TeamMember WHERE UserId = @userId ORDER BY TeamId", new { userId });
        return (roles.ToList(), teams.ToList());
    }

    public async Task<bool> AnyUserAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM UserAccount") > 0;
    }

    /// <summary>Creates a user with roles and teams in one transaction; returns the new id.</summary>
    public async Task<int> CreateAsync(NewAccount account, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var id = await connection.ExecuteScalarAsync<int>(
            db.Dialect.InsertReturningId("UserAccount",
                "Email, DisplayName, PasswordHash, SecurityStamp, IsActive, MustChangePassword, FailedLoginCount, CreatedAt",
                "@Email, @DisplayName, @PasswordHash, @SecurityStamp, @IsActive, @MustChangePassword, 0, @CreatedAt"),
            new
            {
                Email = Normalize(account.Email),
                DisplayName = account.DisplayName.Trim(),
                PasswordHash = hasher.HashPassword(null!, account.Password),
                SecurityStamp = UserAccount.NewSecurityStamp(),
                IsActive = true,
                account.MustChangePassword,
                CreatedAt = clock.GetUtcNow(),
            }, transaction);
        await ReplaceMembershipsAsync(connection, transaction, id, account.Roles, account.TeamIds, clock.GetUtcNow());
        await transaction.CommitAsync(ct);
        return id;
    }

    /// <summary>Sets roles, teams and active flag; the new security stamp and ending their sessions sign the user out everywhere.</summary>
    public async Task UpdateAsync(int userId, string displayName, bool isActive, IEnumerable<string> roles, IEnumerable<int> teamIds, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(
            "UPDATE UserAccount SET DisplayName = @displayName, IsActive = @isActive, SecurityStamp = @stamp WHERE Id = @userId",
            new { userId, displayName = displayName.Trim(), isActive, stamp = UserAccount.NewSecurityStamp() }, transaction);
        await connection.ExecuteAsync(EndSessionsSql, new { userId }, transaction);
        await ReplaceMembershipsAsync(connection, transaction, userId, roles, teamIds, clock.GetUtcNow());
        await transaction.CommitAsync(ct);
        checks.Forget(userId);
    }

    public async Task SetPasswordAsync(int userId, string password, bool mustChange, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(
            "UPDATE UserAccount SET PasswordHash = @hash, MustChangePassword = @mustChange, SecurityStamp = @stamp, FailedLoginCount = 0, LockoutEnd = NULL WHERE Id = @userId; " + EndSessionsSql,
            new { userId, hash = hasher.HashPassword(null!, password), mustChange, stamp = UserAccount.NewSecurityStamp() });
        checks.Forget(userId);
    }

    private static string? _absentUserHash;

    /// <summary>
    /// Checks a password; without a user it checks against a hash of a random password, which costs the same
    /// and always fails.
    /// </summary>
    public PasswordVerificationResult VerifyPassword(UserAccount? user, string password)
    {
        if (user is not null)
            return hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        _absentUserHash ??= hasher.HashPassword(null!, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        hasher.VerifyHashedPassword(null!, _absentUserHash, password);
        return PasswordVerificationResult.Failed;
    }

    /// <summary>Replaces roles and teams; a team joined or left is also written to TeamMembership, the history trends count teams by.</summary>
    private static async Task ReplaceMembershipsAsync(DbConnection connection, DbTransaction transaction, int userId, IEnumerable<string> roles, IEnumerable<int> teamIds, DateTimeOffset now)
    {
        var before = (await connection.QueryAsync<int>("SELECT TeamId FROM TeamMember WHERE UserId = @userId", new { userId }, transaction)).ToHashSet();
        var after = teamIds.Distinct().ToList();
        await connection.ExecuteAsync("UPDATE TeamMembership SET ToAt = @now WHERE UserId = @userId AND TeamId = @teamId AND ToAt IS NULL",
            before.Except(after).Select(teamId => new { userId, teamId, now }), transaction);
        await connection.ExecuteAsync("INSERT INTO TeamMembership (UserId, TeamId, FromAt) VALUES (@userId, @teamId, @now)",
            after.Except(before).Select(teamId => new { userId, teamId, now }), transaction);
        await connection.ExecuteAsync("DELETE FROM UserRole WHERE UserId = @userId", new { userId }, transaction);
        await connection.ExecuteAsync("DELETE FROM TeamMember WHERE UserId = @userId", new { userId }, transaction);
        await connection.ExecuteAsync("INSERT INTO UserRole (UserId, Role) VALUES (@userId, @role)",
            roles.Where(Roles.IsKnown).Distinct().Select(role => new { userId, role }), transaction);
        await connection.ExecuteAsync("INSERT INTO TeamMember (TeamId, UserId) VALUES (@teamId, @userId)",
            after.Select(teamId => new { userId, teamId }), transaction);
    }

    private const string EndSessionsSql = "DELETE FROM UserSession WHERE UserId = @userId";

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}

public sealed record NewAccount(string Email, string DisplayName, string Password, IReadOnlyList<string> Roles, IReadOnlyList<int> TeamIds, bool MustChangePassword = false);
