using CallReview.Db;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Accounts;

/// <summary>A signed-in user picks their interface language, or goes back to their browser's (empty).</summary>
public static class ChooseLanguage
{
    public sealed class Form
    {
        public string? Language { get; set; }
    }

    public sealed class Handler(IDbConnectionFactory db, AccountStore accounts)
    {
        /// <summary>Stores the choice; answers the account, whose cookie must carry the new language.</summary>
        public async Task<Outcome<UserAccount>> HandleAsync(int userId, Form form, CancellationToken ct)
        {
            var language = string.IsNullOrWhiteSpace(form.Language) ? null : Languages.Normalize(form.Language);
            if (!string.IsNullOrWhiteSpace(form.Language) && language is null)
                return Outcome.Invalid(nameof(Form.Language), "Choose one of the languages offered.");
            await using var connection = await db.OpenAsync(ct);
            if (await connection.ExecuteAsync("UPDATE UserAccount SET Language = @language WHERE Id = @userId", new { language, userId }) == 0)
                return Outcome.NotFound;
            return Outcome.Done((await accounts.FindByIdAsync(userId, ct))!);
        }
    }
}
