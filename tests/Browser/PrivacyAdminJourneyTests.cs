using CallReview.Db;
using CallReview.Tests.Web;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Review;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>
/// An admin answers a customer's erasure request (finds the calls by phone number, reads what erasing would delete,
/// erases) and sets a team's retention period (preview, then confirm), on a desktop and a phone.
/// </summary>
[Collection(BrowserJourneys.Name)]
public sealed class PrivacyAdminJourneyTests(PrivacyAdminJourneyTests.App app) : IClassFixture<PrivacyAdminJourneyTests.App>
{
    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public int North { get; private set; }

        public async Task InitializeAsync()
        {
            var admin = NewClient();
            await admin.SignInAsync(AdminEmail, AdminPassword);
            North = await admin.CreateTeamAsync("North");
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            foreach (var (title, days, phone) in new[]
                     {
                         ("Refund chased twice", 45, "393401234567"), ("Card charged twice", 44, "393401234567"), ("Parcel never came", 43, "441632960000"),
                         ("Wrong address on file", 40, "15550000"), ("Yesterday's call", 1, "15550001"),
                     })
            {
                var id = await this.InsertCallAsync(title, North, null, withAudio: true);
                await connection.ExecuteAsync("UPDATE Call SET StartedAt = @at, CustomerPhone = @phone, ExternalRef = @reference WHERE Id = @id",
                    new { id, at = DateTimeOffset.UtcNow.AddDays(-days), phone, reference = $"CUST-{id}" });
            }
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task Admin_FindsACustomersCallsByPhone_SeesWhatWouldGo_AndErasesThem(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync(CallReviewApp.AdminEmail, CallReviewApp.AdminPassword);
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync("/admin/requests");

        // Each size answers another customer: on the desktop one with two calls, on the phone one with one.
        var phone = width > 600 ? "+39 340 123 4567" : "01632 960000";
        await page.GetByLabel("Phone number").FillAsync(phone);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await page.WaitForPageAsync("**Phone=**");
        var expected = width > 600 ? 2 : 1;
        Assert.Contains($"{expected} {(expected == 1 ? "call" : "calls")} found", await page.Locator("#found").InnerTextAsync());
        var erase = page.Locator("#erase");
        Assert.Contains($"{2 * expected} files: recordings, playback copies and waveforms", await erase.InnerTextAsync());
        Assert.Equal(0, await page.EvaluateAsync<int>("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"));
        await Axe.AssertAccessibleAsync(page);
        await Chromium.ScreenshotAsync(page, $"requests-{width}x{height}");

        await erase.GetByRole(AriaRole.Button).ClickAsync();
        // The erase redirects back to the very address the search left, so the address cannot tell the pages apart: the flash can.
        await page.Locator(".flash", new() { HasText = "Erased" }).WaitForAsync();
        Assert.Contains($"Erased {expected} {(expected == 1 ? "call" : "calls")}", await page.Locator(".flash").InnerTextAsync());
        Assert.Contains("0 calls found", await page.Locator("#found").InnerTextAsync());
        await Chromium.ScreenshotAsync(page, $"requests-{width}x{height}-erased");
        chromium.AssertNoPolicyViolations();
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task Admin_SetsARetentionPeriod_PreviewsTheCallsItReaches_AndConfirms(int width, int height)
    {
        await using var chromium = await Chromium.LaunchAsync(app.BaseUrl);
        var page = await chromium.SignedInPageAsync(CallReviewApp.AdminEmail, CallReviewApp.AdminPassword);
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync("/admin/retention");

        var days = width > 600 ? "30" : "7";
        await page.GetByLabel("Days to keep North's calls (empty: forever)").FillAsync(days);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.WaitForPageAsync($"**/admin/retention/{app.North}/preview");
        var table = await page.Locator("table.grid").InnerTextAsync();
        Assert.Contains("Wrong address on file", table);
        Assert.DoesNotContain("Yesterday's call", table);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"));
        await Axe.AssertAccessibleAsync(page);
        await Chromium.ScreenshotAsync(page, $"retention-preview-{width}x{height}");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Confirm: apply {days} days to North" }).ClickAsync();
        await page.WaitForPageAsync("**/admin/retention");
        Assert.Contains($"calls older than {days} days", await page.Locator(".flash").InnerTextAsync());
        Assert.Contains("Applied since", await page.Locator("table.grid").First.InnerTextAsync());
        await Axe.AssertAccessibleAsync(page);
        await Chromium.ScreenshotAsync(page, $"retention-{width}x{height}");
        chromium.AssertNoPolicyViolations();
    }
}
