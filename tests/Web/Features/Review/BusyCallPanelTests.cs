using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CallReview.Db;
using CallReview.Tests.Browser;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Practice;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CallReview.Tests.Web.Features.Review;

/// <summary>
/// A call with thousands of annotations on real Kestrel (its 8 KB request-line limit is the one browsers meet): the
/// panel sends what it shows with every request, "show more" (a GET) included, so that must not grow with the cards;
/// nor must the answer, which is the next page of cards alone, appended. The same for a calibration session, whose
/// panel is the same one: a participant's own pins can be as many.
/// </summary>
public sealed class BusyCallPanelTests(BusyCallPanelTests.App app, ITestOutputHelper output) : IClassFixture<BusyCallPanelTests.App>
{
    private const int Count = 2_000;
    private const string Reviewer = "busy@test.local", Other = "other@test.local", Supervisor = "sam@test.local", Password = "busy-pass-123";

    public sealed class App : KestrelApp, IAsyncLifetime
    {
        public int BusyCall { get; private set; }

        /// <summary>A calibration session on another call, where Bea pinned <see cref="Count"/> moments and another participant 3.</summary>
        public int BusySession { get; private set; }

        public async Task InitializeAsync()
        {
            _ = BaseUrl;
            var admin = await AdminAsync();
            var team = await admin.CreateTeamAsync("Busy");
            await admin.CreateUserAsync(Reviewer, "Bea Busy", Password, ["reviewer"], team);
            await admin.CreateUserAsync(Other, "Otto Other", Password, ["reviewer"], team);
            await admin.CreateUserAsync(Supervisor, "Sam Supervisor", Password, ["supervisor"], team);
            var bea = await this.UserIdAsync(Reviewer);
            BusyCall = await this.InsertCallAsync("Busy call", team, null);
            for (var i = 0; i < Count; i++)
                await this.InsertAnnotationAsync(BusyCall, bea, "unmet", 100L * i, null, "timeliness", $"pin {i:0000}", "");

            var sessionCall = await this.InsertCallAsync("Busy calibration call", team, null);
            var sam = await SignedInAsync(Supervisor, Password);
            var created = await sam.PostFormAsync("/calibration",
                [new("CallId", sessionCall.ToString()), new("Title", "Calibrate the busy call"), new("Reviewers", bea.ToString()), new("Reviewers", (await this.UserIdAsync(Other)).ToString())]);
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            BusySession = int.Parse(Regex.Match(created.Headers.Location!.OriginalString, @"/calibration/(\d+)/results").Groups[1].Value);
            var db = Services.GetRequiredService<IDbConnectionFactory>();
            await using var connection = await db.OpenAsync();
            var otto = await this.UserIdAsync(Other);
            // Otto's pins sort among Bea's: her panel must show none of them.
            await connection.ExecuteAsync(
                """
                INSERT INTO Annotation (CallId, CalibrationSessionId, Kind, StartMs, CategoryCode, Severity, Quote, Expected, AuthorUserId, CreatedAt, UpdatedAt)
                VALUES (@sessionCall, @BusySession, 'unmet', @startMs, 'timeliness', 2, @quote, '', @author, @now, @now)
                """,
                Enumerable.Range(0, Count).Select(i => new { sessionCall, BusySession, startMs = 100L * i, quote = $"pin {i:0000}", author = bea, now = DateTimeOffset.UtcNow })
                    .Concat(new[] { 1, 700, 1500 }.Select(i => new { sessionCall, BusySession, startMs = 100L * i, quote = "pin by Otto", author = otto, now = DateTimeOffset.UtcNow })));
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private static List<string> Quotes(string html) =>
        Regex.Matches(html, "<li id=\"annotation-\\d+\" class=\"annotation [\\s\\S]*?<blockquote class=\"quote\">([^<]*)</blockquote>").Select(m => m.Groups[1].Value).ToList();

    /// <summary>What the panel's hidden input holds, sent with each panel request (hx-include).</summary>
    private static string Shown(string html) =>
        WebUtility.HtmlDecode(Regex.Match(html, "<input type=\"hidden\" id=\"annotations-cards\" name=\"cards\" value=\"([^\"]*)\"").Groups[1].Value);

    /// <summary>The "show more" button's request, or null when every card is shown.</summary>
    private static string? More(string html) =>
        Regex.Match(html, "<p class=\"more\"><button type=\"button\" id=\"annotations-more-button\" hx-get=\"([^\"]+)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    private static string Total(string html) => Regex.Match(html, "<span id=\"annotations-total\" class=\"muted\"[^>]*>\\(([^)]*)\\)</span>").Groups[1].Value;

    /// <summary>
    /// Clicks "show more" on <paramref name="page"/> until every card is shown, keeping the page as htmx does: each answer's
    /// cards appended to the list, the parts it sends out of band (the cards input, the total, "show more") in place of the
    /// page's. Returns the quotes of the cards shown and the panel's input at the end.
    /// </summary>
    private async Task<(List<string> Quotes, string Shown)> ShowEveryCardAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        var quotes = Quotes(html);
        var (shown, more) = (Shown(html), More(html));
        Assert.Equal(25, quotes.Count);
        Assert.Equal(Count.ToString(), Total(html));

        var bytes = new List<int>();
        while (more is not null)
        {
            // As htmx sends it: the button's URL and the included input.
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{more}&cards={Uri.EscapeDataString(shown)}");
            request.Headers.Add("HX-Request", "true");
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"show more #{bytes.Count + 1} ({quotes.Count} cards shown): {(int)response.StatusCode}");
            var answer = await response.Content.ReadAsByteArrayAsync();
            bytes.Add(answer.Length);
            html = Encoding.UTF8.GetString(answer);
            // Appended whatever the page's button targets (one loaded before this answer existed targets the whole panel).
            Assert.Equal("#annotation-list", response.Headers.GetValues("HX-Retarget").Single());
            Assert.Equal("beforeend", response.Headers.GetValues("HX-Reswap").Single());
            Assert.DoesNotContain("<section", html);
            quotes.AddRange(Quotes(html));
            (shown, more) = (Shown(html), More(html));
            Assert.Equal(Math.Min(Count, 25 * (bytes.Count + 1)), int.Parse(shown.Split('.')[0]));
            Assert.Equal(Count.ToString(), Total(html));
        }

        output.WriteLine($"{page}: {bytes.Count} clicks, {bytes.Sum():N0} bytes in all, first {bytes[0]:N0}, last {bytes[^1]:N0}, most {bytes.Max():N0}");
        Assert.Equal(Count / 25 - 1, bytes.Count);
        // Each answer is a page of cards, not every card shown so far (2.5 MB for the last click when it was the panel).
        Assert.All(bytes, b => Assert.InRange(b, 0, 2 * bytes[0]));
        return (quotes, shown);
    }

    [Fact]
    public async Task ShowMore_UntilEveryCardOfABusyCallIsShown_AppendsEachPageOnce()
    {
        var client = await app.SignedInAsync(Reviewer, Password);
        var annotations = $"/review/{app.BusyCall}/annotations";

        var (quotes, shown) = await ShowEveryCardAsync(client, $"/review/{app.BusyCall}");

        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"pin {i:0000}"), quotes);
        // What the appended answers built is what the whole panel sends when it shows every card.
        var panel = await client.HtmxGetStringAsync($"{annotations}?cards={Uri.EscapeDataString(shown)}");
        Assert.Equal(Count, Quotes(panel).Count);
        Assert.Equal(shown, Shown(panel));
    }

    [Fact]
    public async Task ShowMore_InABusyCalibrationSession_AppendsOnlyTheParticipantsOwnPins()
    {
        var bea = await app.SignedInAsync(Reviewer, Password);

        var (quotes, _) = await ShowEveryCardAsync(bea, $"/calibration/{app.BusySession}");

        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"pin {i:0000}"), quotes);
        // Another participant of the session asking with Bea's cards is told they are not the first ones of his scope.
        var otto = await app.SignedInAsync(Other, Password);
        var beas = Shown(await bea.GetStringAsync($"/calibration/{app.BusySession}"));
        var his = await otto.HtmxGetStringAsync($"/calibration/{app.BusySession}/annotations?more=true&cards={Uri.EscapeDataString(beas)}");
        Assert.Equal(["pin by Otto", "pin by Otto", "pin by Otto"], Quotes(his));

        // Submitted, her review is read-only: the next page's cards offer no edit or delete either.
        var page = $"/calibration/{app.BusySession}";
        Assert.Equal(HttpStatusCode.Redirect, (await bea.PostFormAsync($"{page}/submit", [], page)).StatusCode);
        var next = await bea.HtmxGetStringAsync($"{page}/annotations?more=true&cards={Uri.EscapeDataString(Shown(await bea.GetStringAsync(page)))}");
        Assert.Equal(Enumerable.Range(25, 25).Select(i => $"pin {i:0000}"), Quotes(next));
        Assert.DoesNotContain("/edit\"", next);
        Assert.DoesNotContain("/delete\"", next);
    }
}
