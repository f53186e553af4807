using System.Net;
using System.Text.RegularExpressions;

namespace CallReview.Tests.Web.Features.Review;

/// <summary>
/// The scorecard's rubric (name, version, criteria in the reader's language) is kept in memory, the same for every
/// reviewer: a name an admin changes and a version an admin publishes after a page showed it are on the next view, in
/// each language; a reviewer's answers are never kept, so another reviewer's page never shows them.
/// </summary>
public sealed class ScorecardRubricCacheTests(ScorecardRubricCacheTests.Fixture app) : IClassFixture<ScorecardRubricCacheTests.Fixture>
{
    public sealed class Fixture : ReviewFixture;

    private static Task<string> PageAsync(HttpClient client, string url, string language) => ContentNamesTests.PageAsync(client, url, language);

    private static int VersionShown(string html) => int.Parse(Regex.Match(html, @"Customer service call, version (\d+)</span>").Groups[1].Value);

    [Fact]
    public async Task RubricNamedAndRepublishedAfterItWasShown_IsShownNew_AndAnswersStayTheReviewers()
    {
        var scored = await app.InsertCallAsync("Scored before the rubric changed", app.North, app.LeoId);
        var rita = await app.As(ReviewFixture.Rita);
        var ids = await ScorecardAndDisputeTests.CriteriaAsync(app, scored);
        Assert.Matches("<legend>Empatie <span", await PageAsync(rita, $"/review/{scored}", "ro"));
        var version = VersionShown(await PageAsync(rita, $"/review/{scored}", "en"));

        var admin = await app.AdminAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/names",
            [new($"Names[criterion:{ids["Empathy"]}:ro]", "Empatie față de client")], "/admin/names")).StatusCode);
        Assert.Matches("<legend>Empatie față de client <span", await PageAsync(rita, $"/review/{scored}", "ro"));
        Assert.Matches("<legend>Empathy <span", await PageAsync(rita, $"/review/{scored}", "en"));

        var saved = await rita.HtmxPostAsync($"/review/{scored}/scorecard", $"/review/{scored}",
            [.. ScorecardAndDisputeTests.Answers(ids, 2, 1, 4, 1, 2, 1), ("Comment", "Comment only Rita wrote")]);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var ritas = await PageAsync(rita, $"/review/{scored}", "en");
        Assert.Contains("Comment only Rita wrote", ritas);
        Assert.Contains("data-score=", ritas);
        // Rob reads the same rubric from memory, never Rita's answers.
        var robs = await PageAsync(await app.As(ReviewFixture.Rob), $"/review/{scored}", "en");
        Assert.Matches("<legend>Empathy <span", robs);
        Assert.DoesNotContain("Comment only Rita wrote", robs);
        Assert.DoesNotContain("data-score=", robs);
        Assert.DoesNotContain("checked=\"checked\"", robs);

        // Republished with the same words (the editor's form as it is): a new version for calls not scored yet.
        var editor = await admin.GetStringAsync("/admin/rubric");
        var criteria = Regex.Matches(editor, "name=\"Criteria\\[(\\d+)\\]\\.(Section|Title|Guidance|MaxPoints|Weight)\" value=\"([^\"]*)\"")
            .Select(m => new KeyValuePair<string, string>($"Criteria[{m.Groups[1].Value}].{m.Groups[2].Value}", WebUtility.HtmlDecode(m.Groups[3].Value)))
            .ToList();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/rubric", criteria)).StatusCode);

        var fresh = await PageAsync(rita, $"/review/{await app.InsertCallAsync("Scored after the rubric changed", app.North, app.LeoId)}", "en");
        Assert.Equal(version + 1, VersionShown(fresh));
        Assert.DoesNotContain($"id=\"criterion-{ids["Empathy"]}\"", fresh);
        // The scored call keeps the version it was scored with, and its answers.
        ritas = await PageAsync(rita, $"/review/{scored}", "en");
        Assert.Equal(version, VersionShown(ritas));
        Assert.Contains($"id=\"criterion-{ids["Empathy"]}\"", ritas);
        Assert.Contains("Comment only Rita wrote", ritas);
    }
}
