using CallReview.Web.Features.Shared;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;

namespace CallReview.Web.Features.Accounts;

/// <summary>A signed-in user replaces their password (required after a one-time or admin-set password).</summary>
public static class ChangePassword
{
    public const int MinimumLength = 10;

    public sealed class Form
    {
        [Required, DataType(DataType.Password)]
        public string CurrentPassword { get; set; } = "";

        [Required, DataType(DataType.Password), StringLength(200, MinimumLength = MinimumLength)]
        public string NewPassword { get; set; } = "";

        [Required, DataType(DataType.Password), Compare(nameof(NewPassword), ErrorMessage = "The two new passwords differ."), Display(Name = "New password again")]
        public string ConfirmPassword { get; set; } = "";
    }

    public sealed class Handler(AccountStore accounts)
    {
        /// <summary>Changes the password; answers the account (its security stamp rotated).</summary>
        public async Task<Outcome<UserAccount>> HandleAsync(int userId, Form form, CancellationToken ct)
        {
            var user = await accounts.FindByIdAsync(userId, ct);
            if (user is null || accounts.VerifyPassword(user, form.CurrentPassword) == PasswordVerificationResult.Failed)
                return Outcome.Invalid(nameof(Form.CurrentPassword), "The current password is not right.");
            if (form.NewPassword == form.CurrentPassword)
                return Outcome.Invalid(nameof(Form.NewPassword), "Choose a password different from the current one.");
            await accounts.SetPasswordAsync(userId, form.NewPassword, mustChange: false, ct);
            return Outcome.Done((await accounts.FindByIdAsync(userId, ct))!);
        }
    }
}
