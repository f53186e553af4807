using CallReview.Tests.Web;
using CallReview.Web.Features.Accounts;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>
/// In Chromium, in Romanian and in Hebrew at desktop and phone size: an admin's out-of-range signal threshold comes back
/// on the form, in their language, beside its field; the users page names roles in their language, and on a phone shows
/// each user as a card instead of a table scrolling sideways in a box. Screenshots kept.
/// </summary>
[Collection(BrowserJourneys.Name)]
public sealed class LanguageFormsJourneyTests(LanguageFormsJourneyTests.App app) : IClassFixture<LanguageFormsJourneyTests.App>
{
    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public Task InitializeAsync() => SeedDemoAsync();

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Theory]
    [InlineData("ro", 1366, 900, "Câmpul Secunde de tăcere trebuie să fie între 0,5 și 600.")]
    [InlineData("ro", 390, 844, "Câmpul Secunde de tăcere trebuie să fie între 0,5 și 600.")]
    [InlineData("he", 1366, 900, "השדה שניות של שקט מת חייב להיות בין 0.5 ל-600.")]
    [InlineData("he", 390, 844, "השדה שניות של שקט מת חייב להיות בין 0.5 ל-600.")]
    public async Task SignalThresholdOutOfRange_ComesBackBesideItsField_InTheAdminsLanguage(string culture, int width, int height, string error)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync(CallReviewApp.AdminEmail, CallReviewApp.AdminPassword);
        await page.SetViewportSizeAsync(width, height);
        await Chromium.ChooseLanguageAsync(page, culture);

        await page.GotoAsync("/admin/signals");
        await page.Locator("select[name=team]").SelectOptionAsync(new SelectOptionValue { Label = AccountsDemoSeeder.BillingTeam });
        await page.Locator("form[action='/admin/signals'][method=get] button[type=submit]").ClickAsync();
        await page.Locator("#DeadAirSeconds").FillAsync("99999");
        await page.Locator("#signal-settings button[type=submit]").Last.ClickAsync();

        Assert.Equal(error, await page.Locator("#DeadAirSeconds ~ .field-error").InnerTextAsync());
        Assert.Equal("true", await page.Locator("#DeadAirSeconds").GetAttributeAsync("aria-invalid"));
        await page.Locator("#DeadAirSeconds").ScrollIntoViewIfNeededAsync();
        await Chromium.ScreenshotAsync(page, $"{culture}-signal-settings-error-{width}");

        await page.GotoAsync("/admin/users");
        // Every user is read within the screen (on a phone a card per user), not in a table scrolling inside a box.
        Assert.Equal(0, await page.Locator("table.grid").EvaluateAsync<double>(
            "t => Math.max(0, t.scrollWidth - t.clientWidth, t.getBoundingClientRect().width - document.documentElement.clientWidth)"));
        Assert.Contains("admin@test.local", await page.Locator("table.grid").InnerTextAsync());
        await Chromium.ScreenshotAsync(page, $"{culture}-users-roles-{width}");
        chromium.AssertNoPolicyViolations();
    }
}
