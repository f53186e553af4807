using System.ComponentModel.DataAnnotations;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;
using Microsoft.Extensions.Localization;

namespace CallReview.Web.Features.Admin;

/// <summary>Creating a user or changing one: roles, teams, active flag, and an optional new password.</summary>
public static class SaveUser
{
    public sealed class Form : IValidatableObject
    {
        public int? Id { get; set; }

        [Required, EmailAddress, FitsColumn("UserAccount", "Email")]
        public string Email { get; set; } = "";

        [Required, FitsColumn("UserAccount", "DisplayName")]
        [Display(Name = "Display name")]
        public string DisplayName { get; set; } = "";

        [DataType(DataType.Password), StringLength(200, MinimumLength = ChangePassword.MinimumLength)]
        [Display(Name = "Password")]
        public string? Password { get; set; }

        public bool IsActive { get; set; } = true;

        public List<string> Roles { get; set; } = [];

        public List<int> TeamIds { get; set; } = [];

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            // Not an attribute's message, so DataAnnotations does not localise it: said here in the reader's language.
            var text = validationContext.GetRequiredService<IStringLocalizer<Text>>();
            if (Id is null && string.IsNullOrEmpty(Password))
                yield return new ValidationResult(text["A new user needs a first password."], [nameof(Password)]);
            if (Roles.Count == 0)
                yield return new ValidationResult(text["Choose at least one role."], [nameof(Roles)]);
            if (Roles.Any(r => !Accounts.Roles.IsKnown(r)))
                yield return new ValidationResult(text["Unknown role."], [nameof(Roles)]);
        }
    }

    public sealed record Model(Form Form, IReadOnlyList<TeamList.Row> Teams);

    public sealed class Handler(AccountStore accounts, AuditLog audit)
    {
        public async Task<Form?> LoadAsync(int id, CancellationToken ct)
        {
            var user = await accounts.FindByIdAsync(id, ct);
            if (user is null)
                return null;
            var (roles, teamIds) = await accounts.MembershipsAsync(id, ct);
            return new Form
            {
                Id = user.Id, Email = user.Email, DisplayName = user.DisplayName, IsActive = user.IsActive,
                Roles = roles.ToList(), TeamIds = teamIds.ToList(),
            };
        }

        /// <summary>Creates or updates the user; answers its id. New and reset passwords must be changed at next sign-in.</summary>
        public async Task<Outcome<int>> SaveAsync(Form form, int actingUserId, CancellationToken ct)
        {
            if (form.Id is not { } id)
            {
                if (await accounts.FindByEmailAsync(form.Email, ct) is not null)
                    return Outcome.Invalid(nameof(Form.Email), "A user with this email already exists.");
                var created = await accounts.CreateAsync(new NewAccount(form.Email, form.DisplayName, form.Password!, form.Roles, form.TeamIds, MustChangePassword: true), ct);
                await audit.RecordAsync(AuditActions.UserCreated, "UserAccount", created, Describe(form), ct);
                return Outcome.Done(created);
            }
            if (id == actingUserId && (!form.IsActive || !form.Roles.Contains(Roles.Admin)))
                return Outcome.Invalid("", "You cannot remove your own admin role or deactivate yourself.");
            await accounts.UpdateAsync(id, form.DisplayName, form.IsActive, form.Roles, form.TeamIds, ct);
            if (!string.IsNullOrEmpty(form.Password))
                await accounts.SetPasswordAsync(id, form.Password, mustChange: true, ct);
            await audit.RecordAsync(AuditActions.UserChanged, "UserAccount", id, Describe(form), ct);
            return Outcome.Done(id);
        }

        /// <summary>The user as saved, for the audit trail; a password only as "set", never its text.</summary>
        private static string Describe(Form form) =>
            $"{form.Email}; roles {string.Join(", ", form.Roles.Order())}; teams {string.Join(", ", form.TeamIds.Order())}; " +
            $"{(form.IsActive ? "active" : "inactive")}{(string.IsNullOrEmpty(form.Password) ? "" : "; password set")}";
    }
}
