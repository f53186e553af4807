using System.Net;
using CallReview.Tests.Web.Features.Admin;

namespace CallReview.Tests.Web.Features.Accounts;

/// <summary>
/// A page's language: the user's choice in their profile, else the browser's Accept-Language, else the
/// installation's (English here); Hebrew pages run right to left.
/// </summary>
public sealed class LanguageTests(CallReviewApp app) : IClassFixture<CallReviewApp>
{
    [Fact]
    public async Task SignInPage_AcceptLanguageRomanian_IsInRomanian()
    {
        var html = await app.NewClient().Speaking("ro-RO,ro;q=0.9,en;q=0.5").GetStringAsync("/account/login");

        Assert.Contains("<html lang=\"ro\" dir=\"ltr\">", html);
        Assert.Contains("<h1>Autentificare</h1>", html);
        Assert.DoesNotContain("Sign in", html);
    }

    [Fact]
    public async Task SignInPage_NoAcceptLanguage_IsInTheInstallationLanguage()
    {
        var html = await app.NewClient().GetStringAsync("/account/login");

        Assert.Contains("<html lang=\"en\" dir=\"ltr\">", html);
        Assert.Contains("<h1>Sign in</h1>", html);
    }

    [Fact]
    public async Task SignInPage_Hebrew_RunsRightToLeft()
    {
        var html = await app.NewClient().Speaking("he-IL").GetStringAsync("/account/login");

        Assert.Contains("<html lang=\"he\" dir=\"rtl\">", html);
        Assert.Contains("<h1>כניסה</h1>", html);
    }

    [Theory]
    [InlineData("sr")]
    [InlineData("sr-RS")]
    [InlineData("sr-Cyrl-RS,en;q=0.5")]
    [InlineData("sr-Latn-RS")]
    public async Task SignInPage_AnySerbian_IsInSerbianLatin(string acceptLanguage)
    {
        var html = await app.NewClient().Speaking(acceptLanguage).GetStringAsync("/account/login");

        Assert.Contains("<html lang=\"sr-Latn\" dir=\"ltr\">", html);
        Assert.Contains("<h1>Prijava</h1>", html);
    }

    [Fact]
    public async Task WrongPassword_InRomanian_IsRefusedInRomanian()
    {
        var response = await app.NewClient().Speaking("ro").SignInAsync(CallReviewApp.AdminEmail, "wrong-password");

        Assert.Contains("Adresa de e-mail sau parola nu este corectă.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ProfileChoice_BeatsAcceptLanguage_UntilSetBackToTheBrowsers()
    {
        var admin = await app.AdminAsync();
        await admin.CreateUserAsync("lingua@test.local", "Lina Lingua", "lingua-pass-1", ["learner"]);
        var learner = (await app.SignedInAsync("lingua@test.local", "lingua-pass-1")).Speaking("ro");
        Assert.Contains("<h1>Contul meu</h1>", await learner.GetStringAsync("/account"));

        var chosen = await learner.PostFormAsync("/account/language", [new("Language", "it")], "/account");
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        var italian = await learner.GetStringAsync("/account");
        Assert.Contains("<html lang=\"it\" dir=\"ltr\">", italian);
        Assert.Contains("La lingua è stata salvata.", italian);
        Assert.Contains("<option value=\"it\" lang=\"it\" selected=\"selected\">Italiano</option>", italian);

        // Signing in again reads the choice from the profile, not from the old cookie.
        var again = (await app.SignedInAsync("lingua@test.local", "lingua-pass-1")).Speaking("ro");
        Assert.Contains("<h1>Il tuo account</h1>", await again.GetStringAsync("/account"));

        await again.PostFormAsync("/account/language", [new("Language", "")], "/account");
        Assert.Contains("<h1>Contul meu</h1>", await again.GetStringAsync("/account"));
    }

    /// <summary>
    /// ASP.NET Core's own refusals, said in the reader's language with the field's name: model binding's ("abc" is no
    /// number), DataAnnotations' defaults ([Required], [StringLength] with no message of their own) and the limits' 400.
    /// </summary>
    [Theory]
    [InlineData("ro", "Valoarea „abc” nu este validă pentru Perioada de păstrare (zile).", "Câmpul Parola actuală este obligatoriu.",
        "Câmpul Parola nouă trebuie să aibă între 10 și 200 caractere.", "Câmpul Perioada de păstrare (zile) trebuie să fie între 1 și 36500.")]
    [InlineData("he", "הערך \"abc\" אינו תקין עבור תקופת שמירה (ימים).", "השדה סיסמה נוכחית הוא חובה.",
        "השדה סיסמה חדשה חייב להכיל בין 10 ל-200 תווים.", "השדה תקופת שמירה (ימים) חייב להיות בין 1 ל-36500.")]
    public async Task InvalidForm_IsRefusedInTheReadersLanguage(string language, string notANumber, string required, string length, string range)
    {
        var admin = (await app.AdminAsync()).Speaking(language);
        var team = await admin.CreateTeamAsync($"Refusals {language}");

        var days = await admin.PostFormAsync($"/admin/retention/{team}", [new("Days", "abc")], "/admin/retention");
        Assert.Equal(HttpStatusCode.OK, days.StatusCode);
        Assert.Contains(notANumber, WebUtility.HtmlDecode(await days.Content.ReadAsStringAsync()));

        var password = await admin.PostFormAsync("/account/password", [new("CurrentPassword", ""), new("NewPassword", "short"), new("ConfirmPassword", "short")], "/account/password");
        var page = WebUtility.HtmlDecode(await password.Content.ReadAsStringAsync());
        Assert.Contains(required, page);
        Assert.Contains(length, page);
        Assert.DoesNotContain("field is required", page);

        // A limit broken is a 400 before the action runs (InputLimits), in the same words.
        var confirm = await admin.PostFormAsync($"/admin/retention/{team}/confirm", [new("Days", "99999")], $"/admin/retention");
        Assert.Equal(HttpStatusCode.BadRequest, confirm.StatusCode);
        Assert.Contains(range, System.Text.RegularExpressions.Regex.Unescape(await confirm.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task ProfileChoice_NotOffered_IsRefused()
    {
        var admin = await app.AdminAsync();

        var response = await admin.PostFormAsync("/account/language", [new("Language", "xx-Klingon")], "/account");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Choose one of the languages offered.", await response.Content.ReadAsStringAsync());
    }
}
