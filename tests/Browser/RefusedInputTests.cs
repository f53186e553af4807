using CallReview.Tests.Web;
using CallReview.Tests.Web.Features.Admin;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>
/// A handler's refusal reaches the page the one way every page shows it (Outcome → ModelState → the _Errors
/// partial): here a duplicate team name, posted through htmx, comes back in the swapped panel as an alert.
/// </summary>
[Collection(BrowserJourneys.Name)]
public sealed class RefusedInputTests(RefusedInputTests.App app) : IClassFixture<RefusedInputTests.App>
{
    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            _ = BaseUrl;
            await (await AdminAsync()).CreateTeamAsync("Billing Care");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task DuplicateTeamName_ShowsTheHandlersMessageInThePanel(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync(CallReviewApp.AdminEmail, CallReviewApp.AdminPassword);
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync("/admin/teams");
        Assert.Equal(0, await page.Locator("#teams [role=alert]").CountAsync());

        await page.Locator("#teams input[name=Name]").FillAsync("billing care");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add team" }).ClickAsync();

        var alert = page.Locator("#teams [role=alert]");
        await alert.WaitForAsync();
        Assert.Contains("A team called \"billing care\" already exists.", await alert.InnerTextAsync());
        Assert.Equal("billing care", await page.Locator("#teams input[name=Name]").InputValueAsync());
        await Chromium.ScreenshotAsync(page, $"refused-team-{width}x{height}");
    }

    /// <summary>DataAnnotations' defaults and the fields they name, on the page in Romanian and in Hebrew (right to left).</summary>
    [Theory]
    [InlineData("ro", 1366, 900, "Câmpul Parola nouă trebuie să aibă între 10 și 200 caractere.")]
    [InlineData("ro", 390, 844, "Câmpul Parola nouă trebuie să aibă între 10 și 200 caractere.")]
    [InlineData("he", 1366, 900, "השדה סיסמה חדשה חייב להכיל בין 10 ל-200 תווים.")]
    [InlineData("he", 390, 844, "השדה סיסמה חדשה חייב להכיל בין 10 ל-200 תווים.")]
    public async Task ChangePassword_TooShort_IsRefusedInTheReadersLanguage(string language, int width, int height, string expected)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync(CallReviewApp.AdminEmail, CallReviewApp.AdminPassword);
        await page.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["Accept-Language"] = language });
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync("/account/password");

        await page.Locator("#CurrentPassword").FillAsync("not-the-password");
        await page.Locator("#NewPassword").FillAsync("short");
        await page.Locator("#ConfirmPassword").FillAsync("short");
        await page.Locator("form[action='/account/password'] button[type=submit]").ClickAsync();

        var alert = page.Locator("[role=alert]");
        await alert.WaitForAsync();
        Assert.Contains(expected, await alert.InnerTextAsync());
        await Chromium.ScreenshotAsync(page, $"refused-password-{language}-{width}x{height}");
    }
}
