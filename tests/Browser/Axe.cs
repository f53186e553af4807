using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>
/// axe-core's WCAG 2.1 A/AA rules on the page as it stands; a serious or critical violation fails the journey,
/// naming the rule and the elements.
/// </summary>
public static class Axe
{
    private static readonly AxeRunOptions Options = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    /// <param name="within">A CSS selector: only that part of the page is checked (a section a test is about).</param>
    public static async Task AssertAccessibleAsync(IPage page, string? within = null)
    {
        var result = within is null ? await page.RunAxe(Options) : await page.RunAxe(new AxeRunContext { Include = [new AxeSelector(within)] }, Options);
        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(blocking.Count == 0, $"axe on {page.Url}: " + string.Join("; ", blocking.Select(v =>
            $"{v.Id} ({v.Impact}) at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }
}
