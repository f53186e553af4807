using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>
/// Waits for a page to arrive: its address committed, then the page itself saying it has loaded. Playwright's own
/// "load" event was once missed on CI (the wait saw only "networkidle" and ran out its 30 s), and asking the document
/// does not depend on Playwright having seen the event. A page that never arrives is reported with what the browser
/// showed instead (once in a clean-clone run the sign-in page stayed put for 30 s).
/// </summary>
public static class PageWaits
{
    public static Task WaitForPageAsync(this IPage page, string glob) =>
        ArrivedAsync(page, glob, () => page.WaitForURLAsync(glob, Committed()));

    public static Task WaitForPageAsync(this IPage page, Regex url) =>
        ArrivedAsync(page, url.ToString(), () => page.WaitForURLAsync(url, Committed()));

    public static Task WaitForPageAsync(this IPage page, Func<string, bool> url) =>
        ArrivedAsync(page, "the next page", () => page.WaitForURLAsync(url, Committed()));

    private static async Task ArrivedAsync(IPage page, string wanted, Func<Task> committed)
    {
        try
        {
            await committed();
            await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(
                $"waiting for {wanted}, the browser stayed on {page.Url}, showing: {await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 })}", e);
        }
    }

    private static PageWaitForURLOptions Committed() => new() { WaitUntil = WaitUntilState.Commit };
}
