using System.Net;
using System.Text.RegularExpressions;
using CallReview.Tests.Browser;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Practice;

namespace CallReview.Tests.Web.Features.Review;

/// <summary>
/// A call with thousands of annotations on real Kestrel (its 8 KB request-line limit is the one browsers meet): the
/// panel sends what it shows with every request, "show more" (a GET) included, so that must not grow with the cards.
/// </summary>
public sealed class BusyCallPanelTests(BusyCallPanelTests.App app) : IClassFixture<BusyCallPanelTests.App>
{
    private const int Count = 2_000;
    private const string Reviewer = "busy@test.local", Password = "busy-pass-123";

    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public int BusyCall { get; private set; }

        public async Task InitializeAsync()
        {
            _ = BaseUrl;
            var admin = await AdminAsync();
            var team = await admin.CreateTeamAsync("Busy");
            await admin.CreateUserAsync(Reviewer, "Bea Busy", Password, ["reviewer"], team);
            var bea = await this.UserIdAsync(Reviewer);
            BusyCall = await this.InsertCallAsync("Busy call", team, null);
            for (var i = 0; i < Count; i++)
                await this.InsertAnnotationAsync(BusyCall, bea, "unmet", 100L * i, null, "timeliness", $"pin {i:0000}", "");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private static int Cards(string html) => Regex.Matches(html, "<li id=\"annotation-\\d+\" class=\"annotation ").Count;

    /// <summary>What the panel's hidden input holds, sent with each panel request (hx-include).</summary>
    private static string Shown(string html) =>
        WebUtility.HtmlDecode(Regex.Match(html, "<input type=\"hidden\" id=\"annotations-cards\" name=\"cards\" value=\"([^\"]*)\"").Groups[1].Value);

    /// <summary>The "show more" button's request, or null when every card is shown.</summary>
    private static string? More(string html) =>
        Regex.Match(html, "<p class=\"more\"><button type=\"button\" hx-get=\"([^\"]+)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [Fact]
    public async Task ShowMore_UntilEveryCardOfABusyCallIsShown_AnswersEveryTime()
    {
        var client = await app.SignedInAsync(Reviewer, Password);
        var html = await client.GetStringAsync($"/review/{app.BusyCall}");
        Assert.Equal(25, Cards(html));

        var clicks = 0;
        while (More(html) is { } more)
        {
            // As htmx sends it: the button's URL and the included input.
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{more}&cards={Uri.EscapeDataString(Shown(html))}");
            request.Headers.Add("HX-Request", "true");
            using var response = await client.SendAsync(request);
            clicks++;
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"show more #{clicks} ({Cards(html)} cards shown): {(int)response.StatusCode}");
            html = await response.Content.ReadAsStringAsync();
            Assert.Equal(Math.Min(Count, 25 * (clicks + 1)), Cards(html));
        }

        Assert.Equal(Count / 25 - 1, clicks);
        Assert.Equal(Count, Cards(html));
        Assert.Contains($"<span id=\"annotations-total\" class=\"muted\">({Count})</span>", html);
    }
}
