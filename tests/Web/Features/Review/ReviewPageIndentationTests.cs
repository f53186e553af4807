using System.Text.RegularExpressions;

namespace CallReview.Tests.Web.Features.Review;

/// <summary>
/// The parts of the review page kept rendered (cards, markers, the scorecard's criteria) are sent without the templates'
/// indentation, and what people typed across lines keeps every space: the first view and the one served from memory alike.
/// </summary>
public sealed partial class ReviewPageIndentationTests(ReviewFixture app) : IClassFixture<ReviewFixture>
{
    [Fact]
    public async Task KeptParts_HaveNoIndentation_TypedLinesKeepTheirSpaces()
    {
        var callId = await app.InsertCallAsync("Indentation probe", app.North, app.LeoId);
        var page = $"/review/{callId}";
        var rita = await app.As(ReviewFixture.Rita);
        (await rita.HtmxPostAsync($"{page}/annotations", page,
            ReviewClient.Annotation(quote: "first line\n    second line, indented", expected: "say sorry\n\tthen fix it"))).EnsureSuccessStatusCode();
        var ids = await ScorecardAndDisputeTests.CriteriaAsync(app, callId);
        (await rita.HtmxPostAsync($"{page}/scorecard", page,
            [.. ScorecardAndDisputeTests.Answers(ids, 2, 1, 4, 1, 2, 0), ("Comment", "overall\n   two spaces kept")])).EnsureSuccessStatusCode();

        foreach (var html in new[] { await rita.GetStringAsync(page), await rita.GetStringAsync(page) })
        {
            var cards = Between(html, "id=\"annotation-list\"", "id=\"annotation-markers\"");
            Assert.Contains("first line&#xA;    second line, indented", cards);
            Assert.Contains("say sorry&#xA;&#x9;then fix it", cards);
            Assert.DoesNotMatch(Indented(), cards);
            var markers = Between(html, "id=\"annotation-markers\"", "</ol>");
            Assert.Contains("data-marker", markers);
            Assert.DoesNotMatch(Indented(), markers);

            var criteria = Between(html, "class=\"criterion\"", "</textarea>");
            Assert.Contains("overall&#xA;   two spaces kept", criteria);
            Assert.DoesNotMatch(Indented(), criteria);
            // The layout around them is written as it stands: what the checks above look for is there to be seen.
            Assert.Matches(Indented(), Between(html, "<body>", "id=\"annotation-list\""));
        }
    }

    private static string Between(string html, string from, string to)
    {
        var start = html.IndexOf(from, StringComparison.Ordinal);
        Assert.True(start >= 0, from);
        var end = html.IndexOf(to, start, StringComparison.Ordinal);
        Assert.True(end > start, to);
        return html[start..end];
    }

    [GeneratedRegex(@"\n[ \t]")]
    private static partial Regex Indented();
}
