using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>
/// Waits for a page to arrive: its address committed, then the page itself saying it has loaded. Playwright's own
/// "load" event was once missed on CI (the wait saw only "networkidle" and ran out its 30 s), and asking the document
/// does not depend on Playwright having seen the event.
/// </summary>
public static class PageWaits
{
    public static async Task WaitForPageAsync(this IPage page, string glob)
    {
        await page.WaitForURLAsync(glob, Committed());
        await LoadedAsync(page);
    }

    public static async Task WaitForPageAsync(this IPage page, Regex url)
    {
        await page.WaitForURLAsync(url, Committed());
        await LoadedAsync(page);
    }

    public static async Task WaitForPageAsync(this IPage page, Func<string, bool> url)
    {
        await page.WaitForURLAsync(url, Committed());
        await LoadedAsync(page);
    }

    private static PageWaitForURLOptions Committed() => new() { WaitUntil = WaitUntilState.Commit };

    private static Task LoadedAsync(IPage page) => page.WaitForFunctionAsync("() => document.readyState === 'complete'");
}
