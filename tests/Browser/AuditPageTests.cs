using CallReview.Tests.Web;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>An admin searches the audit trail for a failed sign-in, on a desktop and a phone.</summary>
[Collection(BrowserJourneys.Name)]
public sealed class AuditPageTests(AuditPageTests.App app) : IClassFixture<AuditPageTests.App>
{
    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            _ = BaseUrl;
            using var stranger = NewClient();
            await stranger.SignInAsync("mallory@test.local", "wrong-password-1");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task AdminSearchesForFailedSignIns_SeesTheAttemptAndNotTheOthers(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync(CallReviewApp.AdminEmail, CallReviewApp.AdminPassword);
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync("/admin/audit");

        await page.Locator("input[name=What]").FillAsync("sign-in.failed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.WaitForPageAsync("**What=sign-in.failed**");

        var rows = page.Locator("table.grid tbody tr");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Contains("mallory@test.local", await rows.First.InnerTextAsync());
        await Chromium.ScreenshotAsync(page, $"audit-{width}x{height}");

        // The table never widens the page: it scrolls sideways in its own region, which the keyboard can reach and scroll.
        Assert.Equal(0, await page.EvaluateAsync<int>("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"));
        var region = page.GetByRole(AriaRole.Region, new() { Name = "Audit entries (scrolls sideways)" });
        if (width < 600)
        {
            await region.FocusAsync();
            for (var i = 0; i < 10; i++) await page.Keyboard.PressAsync("ArrowRight");
            // Keyboard scrolling is animated: give it a moment before reading where it got to.
            var scrolled = 0.0;
            for (var wait = 0; wait < 20 && scrolled == 0; wait++, await Task.Delay(100))
                scrolled = await region.EvaluateAsync<double>("r => r.scrollLeft");
            Assert.True(scrolled > 0, "the audit table does not scroll by keyboard");
            await Chromium.ScreenshotAsync(page, $"audit-{width}x{height}-scrolled");
        }
        await Axe.AssertAccessibleAsync(page);
        chromium.AssertNoPolicyViolations();
    }
}
