using System.ComponentModel.DataAnnotations;
using CallReview.Db;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace CallReview.Web.Features.Accounts;

/// <summary>Signing in: password check with a lockout after repeated failures.</summary>
public static class Login
{
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public sealed class Form
    {
        [Required, EmailAddress, StringLength(320)]
        public string Email { get; set; } = "";

        [Required, DataType(DataType.Password), StringLength(200)]
        public string Password { get; set; } = "";

        public string? ReturnUrl { get; set; }
    }

    public abstract record Outcome
    {
        public sealed record Success(UserAccount User) : Outcome;
        public sealed record Failed : Outcome;
        public sealed record LockedOut(DateTimeOffset Until) : Outcome;
    }

    public sealed class Handler(AccountStore accounts, IDbConnectionFactory db, TimeProvider clock)
    {
        public async Task<Outcome> HandleAsync(Form form, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var user = await accounts.FindByEmailAsync(form.Email, ct);
            if (user is null || !user.IsActive)
                return new Outcome.Failed();
            if (user.LockoutEnd is { } until && until > now)
                return new Outcome.LockedOut(until);

            await using var connection = await db.OpenAsync(ct);
            var verified = accounts.VerifyPassword(user, form.Password);
            if (verified == PasswordVerificationResult.Failed)
            {
                var failures = user.FailedLoginCount + 1;
                DateTimeOffset? lockoutEnd = failures >= MaxFailedAttempts ? now + LockoutDuration : null;
                await connection.ExecuteAsync(
                    "UPDATE UserAccount SET FailedLoginCount = @failures, LockoutEnd = @lockoutEnd WHERE Id = @Id",
                    new { failures = lockoutEnd is null ? failures : 0, lockoutEnd, user.Id });
                return lockoutEnd is { } end ? new Outcome.LockedOut(end) : new Outcome.Failed();
            }

            await connection.ExecuteAsync(
                "UPDATE UserAccount SET FailedLoginCount = 0, LockoutEnd = NULL, LastLoginAt = @now WHERE Id = @Id",
                new { now, user.Id });
            if (verified == PasswordVerificationResult.SuccessRehashNeeded)
                await accounts.SetPasswordAsync(user.Id, form.Password, user.MustChangePassword, ct);
            return new Outcome.Success((await accounts.FindByIdAsync(user.Id, ct))!);
        }
    }
}
