using System.Net;
using System.Text.RegularExpressions;

namespace CallReview.Tests.Web.Features.Review;

/// <summary>
/// The rubric in the reader's language: its name, sections, criteria and guidance, shipped for the built-in rubric
/// in every interface language (migration), named by the admin at /admin/names, and kept when a new version is
/// published with the same words. The test that republishes renames "Product knowledge accuracy" and the section "Outcome", and retitles "Tone";
/// the others look at the criteria it leaves alone.
/// </summary>
public sealed class RubricNamesTests(RubricNamesTests.Fixture app) : IClassFixture<RubricNamesTests.Fixture>
{
    public sealed class Fixture : ReviewFixture;

    private static Task<string> PageAsync(HttpClient client, string url, string language) => ContentNamesTests.PageAsync(client, url, language);

    [Fact]
    public async Task Scorecard_RomanianReviewer_ReadsRubricSectionsCriteriaAndGuidanceInRomanian()
    {
        var callId = await app.InsertCallAsync("Scored in Romanian", app.North, app.LeoId);

        var html = await PageAsync(await app.As(ReviewFixture.Rita), $"/review/{callId}", "ro");

        Assert.Contains("· Apel de relații cu clienții, versiunea ", html);
        Assert.Contains("<h3>Cunoștințe</h3>", html);
        Assert.Contains("<h3>Atitudine</h3>", html);
        Assert.Matches("<legend>Empatie <span", html);
        Assert.Contains("A recunoscut sentimentele și situația clientului.", html);
        Assert.Matches("<legend>Asumare și promptitudine <span", html);
        foreach (var english in new[] { "Customer service call", ">Knowledge<", ">Manner<", ">Outcome<", "Empathy", "Ownership and timeliness", "Acknowledged the customer" })
            Assert.DoesNotContain(english, html);
        // Another reader of the same page sees the stored names.
        Assert.Matches("<legend>Empathy <span", await PageAsync(await app.As(ReviewFixture.Rob), $"/review/{callId}", "en"));
    }

    [Fact]
    public async Task HebrewAgent_ReadsTheirScorecardInHebrew_AndTheSupervisorTheirDisputeInRomanian()
    {
        var callId = await app.InsertCallAsync("Scored for a Hebrew agent", app.North, app.LeoId);
        var rita = await app.As(ReviewFixture.Rita);
        var ids = await ScorecardAndDisputeTests.CriteriaAsync(app, callId);
        var scored = await rita.HtmxPostAsync($"/review/{callId}/scorecard", $"/review/{callId}",
            [.. ids.Values.Select(id => ($"Points[{id}]", id == ids["Empathy"] ? "1" : "na"))]);
        Assert.Equal(HttpStatusCode.OK, scored.StatusCode);

        var leo = await app.As(ReviewFixture.Leo);
        var mine = await PageAsync(leo, $"/reviews/mine/{callId}", "he");
        Assert.Contains("<td>אמפתיה <small", mine);
        Assert.DoesNotContain("Empathy", mine);

        var resultId = Regex.Match(mine, "name=\"ResultId\" value=\"(\\d+)\"").Groups[1].Value;
        await leo.PostFormAsync($"/reviews/mine/{callId}/disputes",
            [new("ResultId", resultId), new("CriterionId", ids["Empathy"].ToString()), new("Comment", "I did acknowledge it")], $"/reviews/mine/{callId}");
        Assert.Matches("<strong>אמפתיה</strong>:</span>\\s+I did acknowledge it", await PageAsync(leo, $"/reviews/mine/{callId}", "he"));
        var disputes = await PageAsync(await app.As(ReviewFixture.Sue), "/reviews/disputes", "ro");
        Assert.Contains("„Empatie”", disputes);
        Assert.DoesNotContain("Empathy", disputes);
    }

    [Fact]
    public async Task AdminsName_KeptWhenTheRubricIsRepublished_DroppedWhenTheCriterionIsRetitled()
    {
        var admin = await app.AdminAsync();
        var before = await ScorecardAndDisputeTests.CriteriaAsync(app, await app.InsertCallAsync("Before republishing", app.North, app.LeoId));
        var names = await admin.GetStringAsync("/admin/names");
        Assert.Contains($"name=\"Names[criterion:{before["Empathy"]}:he]\"", names);
        Assert.Contains("name=\"Names[rubric-section:Knowledge:ro]\"", names);
        Assert.Contains($"<textarea name=\"Names[guidance:{before["Empathy"]}:ro]\"", names);
        var saved = await admin.PostFormAsync("/admin/names",
            [new($"Names[criterion:{before["Product knowledge accuracy"]}:ro]", "Exactitatea informațiilor"),
             new("Names[rubric-section:Outcome:ro]", "Deznodământ")], "/admin/names");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        // The editor shows the stored words whatever the admin reads in: publishing them must not store Romanian.
        var editor = await PageAsync(admin, "/admin/rubric", "ro");
        Assert.Contains("value=\"Product knowledge accuracy\"", editor);
        Assert.DoesNotContain("Exactitatea informațiilor", editor);
        var criteria = Regex.Matches(editor, "name=\"Criteria\\[(\\d+)\\]\\.(Section|Title|Guidance|MaxPoints|Weight)\" value=\"([^\"]*)\"")
            .Select(m => new KeyValuePair<string, string>($"Criteria[{m.Groups[1].Value}].{m.Groups[2].Value}",
                m.Groups[2].Value == "Title" && m.Groups[3].Value == "Tone" ? "TONE" : WebUtility.HtmlDecode(m.Groups[3].Value)))
            .ToList();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/rubric", criteria)).StatusCode);

        var html = await PageAsync(await app.As(ReviewFixture.Rita), $"/review/{await app.InsertCallAsync("After republishing", app.North, app.LeoId)}", "ro");
        Assert.Matches("<legend>Exactitatea informațiilor <span", html);
        Assert.Contains("<h3>Deznodământ</h3>", html);
        Assert.Contains("Informațiile date au fost corecte și complete.", html);
        // A retitled criterion has no Romanian name until the admin gives it one, even retitled only in case (compared
        // letter for letter on SQL Server too, whose default collation would carry "Tone"'s names); its unchanged guidance
        // keeps its own.
        Assert.Matches("<legend>TONE <span", html);
        Assert.DoesNotContain("<legend>Ton <span", html);
        Assert.Contains("Politicos, calm, niciodată răstit sau condescendent.", html);
    }
}
