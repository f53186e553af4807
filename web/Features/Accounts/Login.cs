using CallReview.Web.Features.Shared;
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

    public const string WrongMessage = "The email or password is not right.";
    public const string LockedMessage = "Too many failed attempts. This account is locked for a while; try again later.";

    public sealed class Handler(AccountStore accounts, IDbConnectionFactory db, TimeProvider clock, ILogger<Handler> logger)
    {
        /// <summary>Checks the password and counts failures; answers the signed-in account.</summary>
        public async Task<Outcome<UserAccount>> HandleAsync(Form form, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var user = await accounts.FindByEmailAsync(form.Email, ct);
            // One password hash on every path, so an unknown, inactive or locked account answers as slowly as a
            // wrong password and timing does not tell which e-mails exist.
            var verified = accounts.VerifyPassword(user, form.Password);
            if (user is null || !user.IsActive)
                return Outcome.Invalid("", WrongMessage);
            if (user.LockoutEnd > now)
                return Locked(form);

            await using var connection = await db.OpenAsync(ct);
            if (verified == PasswordVerificationResult.Failed)
            {
                // Counted in the database in one statement: parallel attempts cannot overwrite each other's count.
                var locked = await connection.ExecuteScalarAsync<int>(
                    """
                    UPDATE UserAccount SET
                        LockoutEnd = CASE WHEN FailedLoginCount + 1 >= @max THEN @lockUntil ELSE LockoutEnd END,
                        FailedLoginCount = CASE WHEN FailedLoginCount + 1 >= @max THEN 0 ELSE FailedLoginCount + 1 END
                    WHERE Id = @Id;
                    SELECT COUNT(*) FROM UserAccount WHERE Id = @Id AND LockoutEnd > @now;
                    """,
                    new { max = MaxFailedAttempts, lockUntil = now + LockoutDuration, now, user.Id });
                return locked > 0 ? Locked(form) : Outcome.Invalid("", WrongMessage);
            }

            // Only an account that no parallel attempt has locked meanwhile signs in.
            var signedIn = await connection.ExecuteAsync(
                "UPDATE UserAccount SET FailedLoginCount = 0, LockoutEnd = NULL, LastLoginAt = @now WHERE Id = @Id AND (LockoutEnd IS NULL OR LockoutEnd <= @now)",
                new { now, user.Id });
            if (signedIn == 0)
                return Locked(form);
            if (verified == PasswordVerificationResult.SuccessRehashNeeded)
                await accounts.SetPasswordAsync(user.Id, form.Password, user.MustChangePassword, ct);
            return Outcome.Done((await accounts.FindByIdAsync(user.Id, ct))!);
        }

        private Outcome.Failure Locked(Form form)
        {
            logger.LogWarning("Sign-in refused for a locked account {Email}", AccountStore.Normalize(form.Email));
            return Outcome.Invalid("", LockedMessage);
        }
    }
}
