using Microsoft.Playwright;

namespace CallReview.Tests.Browser;

/// <summary>The timeline's marker labels as laid out on screen.</summary>
public static class MarkerLabels
{
    private sealed class Box
    {
        public string Text { get; set; } = "";
        public double X { get; set; }
        public double Y { get; set; }
        public double Width { get; set; }
        public double Height { get; set; }
    }

    /// <summary>All markers have a label, none hidden by being drawn over another, and none cut off by the strip.</summary>
    public static async Task AssertApartAsync(IPage page, int expected)
    {
        await page.WaitForFunctionAsync($"() => document.querySelectorAll('.marker-label').length === {expected}");
        // After a resize the labels follow once wavesurfer has redrawn, which it debounces: wait for them to be
        // inside the strip, then assert (a layout that never settles fails below with the positions).
        try
        {
            await page.WaitForFunctionAsync("""
                () => {
                  const s = document.querySelector('[data-label-strip]').getBoundingClientRect();
                  return [...document.querySelectorAll('.marker-label')].filter(l => !l.hidden)
                    .every(l => { const r = l.getBoundingClientRect(); return r.left >= s.left - 0.5 && r.right <= s.right + 0.5; });
                }
                """, null, new() { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
        }
        var strip = await page.Locator("[data-label-strip]").BoundingBoxAsync();
        var boxes = await page.EvaluateAsync<Box[]>("""
            () => [...document.querySelectorAll('.marker-label')].filter(l => !l.hidden).map(l => {
                const r = l.getBoundingClientRect();
                return { text: l.getAttribute('aria-label'), x: r.x, y: r.y, width: r.width, height: r.height };
            })
            """);
        var named = string.Join(" ", boxes.Select(b => b.Text));
        Assert.All(boxes, b => Assert.True(b.X >= strip!.X - 0.5 && b.X + b.Width <= strip.X + strip.Width + 0.5, $"label cut off: {b.Text} (strip x {strip.X:0.#}, width {strip.Width:0.#})"));
        for (var i = 0; i < boxes.Length; i++)
            for (var j = i + 1; j < boxes.Length; j++)
            {
                var (a, b) = (boxes[i], boxes[j]);
                var overlap = a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;
                Assert.False(overlap, $"labels overlap: '{a.Text}' and '{b.Text}'");
            }
        // A label merged into another still names its pin there.
        var hidden = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.marker-label')].filter(l => l.hidden).map(l => l.title)");
        Assert.All(hidden, h => Assert.Contains(h, named));
    }
}
