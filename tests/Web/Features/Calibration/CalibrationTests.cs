using System.Net;
using System.Text.RegularExpressions;
using CallReview.Db;
using CallReview.Tests.Db;
using CallReview.Tests.Web.Features.Review;

namespace CallReview.Tests.Web.Features.Calibration;

public sealed class CalibrationTests(PerDatabase<CalibrationTests.Fixture> apps) : IClassFixture<PerDatabase<CalibrationTests.Fixture>>
{
    public sealed class Fixture : ReviewFixture;

    private static async Task<int> StartSessionAsync(ReviewFixture app, params string[] reviewers)
    {
        var sue = await app.As(ReviewFixture.Sue);
        var fields = new List<KeyValuePair<string, string>> { new("CallId", app.NorthCall.ToString()), new("Title", "Calibrate invoice call") };
        foreach (var email in reviewers)
            fields.Add(new("Reviewers", (await app.UserIdAsync(email)).ToString()));
        var response = await sue.PostFormAsync("/calibration", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return int.Parse(Regex.Match(response.Headers.Location!.OriginalString, @"/calibration/(\d+)/results").Groups[1].Value);
    }

    private static async Task PinAsync(ReviewFixture app, string email, int session, string start, string category)
    {
        var client = await app.As(email);
        var response = await client.HtmxPostAsync($"/calibration/{session}/annotations", $"/calibration/{session}", ReviewClient.Annotation(start: start, category: category));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Session_ThreeReviewers_BlindUntilAllSubmitThenShowsPinsAndAgreement(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var session = await StartSessionAsync(app, ReviewFixture.Rita, ReviewFixture.Rob, ReviewFixture.Sue);
        await PinAsync(app, ReviewFixture.Rita, session, "5", "no-ownership");
        await PinAsync(app, ReviewFixture.Rob, session, "7", "no-ownership");
        await PinAsync(app, ReviewFixture.Sue, session, "4", "no-ownership");
        await PinAsync(app, ReviewFixture.Rita, session, "18", "rude-tone");
        await PinAsync(app, ReviewFixture.Rob, session, "19", "no-empathy");
        await PinAsync(app, ReviewFixture.Sue, session, "20", "rude-tone");

        var rita = await app.As(ReviewFixture.Rita);
        var ritasPage = await rita.GetStringAsync($"/calibration/{session}");
        Assert.Equal(2, Regex.Matches(ritasPage, "data-marker ").Count);
        Assert.DoesNotContain("Rob Reviewer", ritasPage);
        Assert.DoesNotMatch("data-marker(?!-)", await rita.GetStringAsync($"/review/{app.NorthCall}"));

        foreach (var email in new[] { ReviewFixture.Rita, ReviewFixture.Rob })
        {
            var client = await app.As(email);
            Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"/calibration/{session}/submit", [], $"/calibration/{session}")).StatusCode);
        }
        var waiting = await rita.GetStringAsync($"/calibration/{session}/results");
        Assert.Contains("The comparison opens when every reviewer has submitted", waiting);
        Assert.DoesNotMatch("data-marker(?!-)", waiting);
        var locked = await rita.HtmxPostAsync($"/calibration/{session}/annotations", $"/review/{app.NorthCall}", ReviewClient.Annotation(start: "25"));
        Assert.Equal(HttpStatusCode.NotFound, locked.StatusCode);

        Assert.DoesNotContain("Review blind", waiting);
        // The supervisor who started the session and takes part lands on its status page: it leads to her blind work, and shows no pins.
        var sue = await app.As(ReviewFixture.Sue);
        var suesStatus = await sue.GetStringAsync($"/calibration/{session}/results");
        Assert.Contains($"<a class=\"button primary\" href=\"/calibration/{session}\">Review blind</a>", suesStatus);
        Assert.DoesNotMatch("data-marker(?!-)", suesStatus);
        await sue.PostFormAsync($"/calibration/{session}/submit", [], $"/calibration/{session}");
        var results = await rita.GetStringAsync($"/calibration/{session}/results");
        Assert.DoesNotContain("Review blind", await sue.GetStringAsync($"/calibration/{session}/results"));

        Assert.Equal(6, Regex.Matches(results, "data-marker ").Count);
        Assert.Equal(3, Regex.Matches(results, "data-lane=\"(\\d)\"").Select(m => m.Groups[1].Value).Distinct().Count());
        // Two moments pinned by all three: [o,o,o] and [r,e,r]. P̄ = (1 + 1/3)/2 = 2/3; p = o 3/6, r 2/6, e 1/6 → P̄e = 14/36;
        // Fleiss' κ = (2/3 − 14/36)/(1 − 14/36) = 0.4545…; same category on 1 of 2 moments.
        Assert.Contains("Fleiss&#x27; kappa <strong class=\"metric\" data-kappa>0.45</strong>", results);
        Assert.Contains("same category <strong class=\"metric\">50%</strong>", results);
        Assert.Matches("<td>Rita Reviewer</td><td>Rob Reviewer</td><td class=\"metric\">2 of 2 / 2</td>", results);
    }

    /// <summary>Every route of a session hides another participant's pins until everyone has submitted: 404, as for a pin that does not exist.</summary>
    [DatabaseTheory, DatabaseData]
    public async Task Session_AnotherParticipantsPin_IsNotFoundOnEveryRoute(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var session = await StartSessionAsync(app, ReviewFixture.Rita, ReviewFixture.Rob, ReviewFixture.Sue);
        await PinAsync(app, ReviewFixture.Rob, session, "11", "no-ownership");
        var robsPin = int.Parse(Regex.Match(await (await app.As(ReviewFixture.Rob)).GetStringAsync($"/calibration/{session}"), "data-marker data-id=\"(\\d+)\"").Groups[1].Value);
        var page = $"/calibration/{session}";

        foreach (var email in new[] { ReviewFixture.Rita, ReviewFixture.Sue })
        {
            var other = await app.As(email);
            var history = await other.GetAsync($"{page}/annotations/{robsPin}/history");
            Assert.Equal(HttpStatusCode.NotFound, history.StatusCode);
            Assert.DoesNotContain("no-ownership", await history.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"{page}/annotations/{robsPin}/edit")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound,
                (await other.HtmxPostAsync($"{page}/annotations/{robsPin}", page, ReviewClient.Annotation(start: "12", category: "rude-tone"))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.HtmxPostAsync($"{page}/annotations/{robsPin}/delete", page)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"{page}/annotations/{robsPin + 1000}/history")).StatusCode);
        }
        // Citing the pin in one's own scorecard is refused the same way as citing a pin that does not exist.
        var rita = await app.As(ReviewFixture.Rita);
        var criteria = Regex.Matches(await rita.GetStringAsync(page), "id=\"criterion-(\\d+)\"").Select(m => m.Groups[1].Value).ToList();
        var cited = await rita.HtmxPostAsync($"{page}/scorecard", page,
            [.. criteria.Select(id => ($"Points[{id}]", "na")), ($"Cites[{criteria[0]}]", robsPin.ToString())]);
        Assert.Contains("Only annotations on this call can be cited.", await cited.Content.ReadAsStringAsync());

        var rob = await app.As(ReviewFixture.Rob);
        var robsPage = await rob.GetStringAsync(page);
        Assert.Contains($"data-id=\"{robsPin}\"", robsPage);
        Assert.Contains("data-start=\"11", robsPage);
        Assert.Equal(HttpStatusCode.OK, (await rob.GetAsync($"{page}/annotations/{robsPin}/history")).StatusCode);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Session_NonParticipant_CannotOpenTheWorkspace(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var session = await StartSessionAsync(app, ReviewFixture.Rita, ReviewFixture.Sue);
        var rob = await app.As(ReviewFixture.Rob);

        Assert.Equal(HttpStatusCode.NotFound, (await rob.GetAsync($"/calibration/{session}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rob.GetAsync($"/calibration/{session}/results")).StatusCode);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Create_AsReviewer_IsRefused(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);

        var response = await rita.PostFormAsync("/calibration", [new("CallId", app.NorthCall.ToString()), new("Reviewers", "1")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
    }
}
