using System.Net;
using System.Text.RegularExpressions;
using CallReview.Db;
using CallReview.Tests.Db;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Review;

/// <summary>Scoring a call through the page, rubric versions, and the agent's acknowledge/dispute with the supervisor's resolution.</summary>
public sealed class ScorecardAndDisputeTests(PerDatabase<ScorecardAndDisputeTests.Fixture> apps) : IClassFixture<PerDatabase<ScorecardAndDisputeTests.Fixture>>
{
    public sealed class Fixture : ReviewFixture;

    internal static async Task<Dictionary<string, int>> CriteriaAsync(ReviewFixture app, int callId)
    {
        var html = await (await app.As(ReviewFixture.Rita)).GetStringAsync($"/review/{callId}");
        return Regex.Matches(html, "<fieldset class=\"criterion\" id=\"criterion-(\\d+)\">\\s*<legend>([^<]+) <span")
            .ToDictionary(m => m.Groups[2].Value, m => int.Parse(m.Groups[1].Value));
    }

    internal static (string, string)[] Answers(Dictionary<string, int> ids, int knowledge, int harmless, int tone, int empathy, int ownership, int resolved) =>
    [
        ($"Points[{ids["Product knowledge accuracy"]}]", knowledge.ToString()), ($"Points[{ids["No wrong or harmful information"]}]", harmless.ToString()),
        ($"Points[{ids["Tone"]}]", tone.ToString()), ($"Points[{ids["Empathy"]}]", empathy.ToString()),
        ($"Points[{ids["Ownership and timeliness"]}]", ownership.ToString()), ($"Points[{ids["Resolution"]}]", resolved.ToString()),
    ];

    /// <summary>
    /// On SQL Server (READ COMMITTED) both saves read "no scorecard yet"; only the unique key and a second try keep
    /// it to one. SQLite's transactions are serialised (BEGIN IMMEDIATE), so the race shows in the SQL Server run.
    /// </summary>
    [DatabaseTheory, DatabaseData]
    public async Task Score_ConcurrentFirstSaves_MakeOneScorecard(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var callId = await app.InsertCallAsync("Scored twice at once", app.North, app.LeoId);
        var ids = await CriteriaAsync(app, callId);
        var rita = await app.As(ReviewFixture.Rita);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            rita.HtmxPostAsync($"/review/{callId}/scorecard", $"/review/{callId}", Answers(ids, 2, 1, 4, 1, 2, 0))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM ScorecardResult WHERE CallId = @callId AND CalibrationSessionId IS NULL", new { callId }));
    }

    [DatabaseTheory, DatabaseData]
    public async Task Score_AllCriteria_ComputedOnTheServer(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var callId = await app.InsertCallAsync("Scoring call", app.North, app.LeoId);
        var ids = await CriteriaAsync(app, callId);
        var rita = await app.As(ReviewFixture.Rita);

        // Weights 3,1,2,2,2,3 (total 13): 3·2/4 + 1 + 2·4/4 + 2·1/4 + 2·2/4 + 3·0 = 1.5 + 1 + 2 + 0.5 + 1 = 6 → 46.2 %
        var response = await rita.HtmxPostAsync($"/review/{callId}/scorecard", $"/review/{callId}", Answers(ids, 2, 1, 4, 1, 2, 0));

        Assert.Contains("data-score=\"46.2\"", await response.Content.ReadAsStringAsync());
        var failed = await rita.HtmxPostAsync($"/review/{callId}/scorecard", $"/review/{callId}", Answers(ids, 4, 0, 4, 4, 4, 1));
        var html = await failed.Content.ReadAsStringAsync();
        Assert.Contains("data-score=\"0\"", html);
        Assert.Contains("auto-fail", html);
    }

    /// <summary>The page's scorecard is rendered once per version of what it shows: a save within the same tick of the clock is still a new one.</summary>
    [DatabaseTheory, DatabaseData]
    public async Task Score_SavedAgainAtTheSameTime_ThePageShowsTheNewAnswers(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var callId = await app.InsertCallAsync("Scored twice in one tick", app.North, app.LeoId);
        var ids = await CriteriaAsync(app, callId);
        var rita = await app.As(ReviewFixture.Rita);
        await rita.HtmxPostAsync($"/review/{callId}/scorecard", $"/review/{callId}", [.. Answers(ids, 2, 1, 4, 1, 2, 0), ("Comment", "First words")]);
        Assert.Contains("First words", await rita.GetStringAsync($"/review/{callId}"));
        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        var first = await connection.QuerySingleAsync<DateTimeOffset>("SELECT UpdatedAt FROM ScorecardResult WHERE CallId = @callId", new { callId });

        await rita.HtmxPostAsync($"/review/{callId}/scorecard", $"/review/{callId}", [.. Answers(ids, 4, 1, 4, 4, 4, 1), ("Comment", "Second words")]);
        await connection.ExecuteAsync("UPDATE ScorecardResult SET UpdatedAt = @first WHERE CallId = @callId", new { callId, first });

        var page = await rita.GetStringAsync($"/review/{callId}");
        Assert.Contains("Second words", page);
        Assert.DoesNotContain("First words", page);
        Assert.Contains("data-score=\"100\"", page);
    }

    /// <summary>
    /// The scorecard is a plain form too (saved without htmx): the token in it is the reader's own, never one kept with the
    /// panel from another reader's view — an antiforgery token handed to someone else would let them forge its owner's posts.
    /// </summary>
    [DatabaseTheory, DatabaseData]
    public async Task Score_PlainFormAfterAnotherReaderViewedThePage_CarriesTheReadersOwnToken(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var callId = await app.InsertCallAsync("Scored without htmx", app.North, app.LeoId);
        var ids = await CriteriaAsync(app, callId);
        var page = $"/review/{callId}";
        var rita = await app.As(ReviewFixture.Rita);
        var ritasToken = ScorecardToken(await rita.GetStringAsync(page));
        var rob = await app.As(ReviewFixture.Rob);

        var robsToken = ScorecardToken(await rob.GetStringAsync(page));
        Assert.NotEqual(ritasToken, robsToken);
        var saved = await rob.PostAsync($"{page}/scorecard", new FormUrlEncodedContent(
            [.. Answers(ids, 2, 1, 4, 1, 2, 0).Select(a => new KeyValuePair<string, string>(a.Item1, a.Item2)), new("__RequestVerificationToken", robsToken)]));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
    }

    private static string ScorecardToken(string page)
    {
        var form = page[page.IndexOf("id=\"scorecard\"", StringComparison.Ordinal)..];
        return Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    [DatabaseTheory, DatabaseData]
    public async Task Score_MissingAnswer_ShowsTheErrorAndSavesNothing(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var callId = await app.InsertCallAsync("Incomplete scoring", app.North, app.LeoId);
        var ids = await CriteriaAsync(app, callId);
        var rita = await app.As(ReviewFixture.Rita);

        var response = await rita.HtmxPostAsync($"/review/{callId}/scorecard", $"/review/{callId}", Answers(ids, 2, 1, 4, 1, 2, 0)[1..]);

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Score &quot;Product knowledge accuracy&quot; (or mark it not applicable).", html);
        Assert.DoesNotContain("data-score", html);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Dispute_AgentOnOwnCall_SupervisorRemovesTheAnnotation(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var callId = await app.InsertCallAsync("Disputed call", app.North, app.LeoId);
        var rita = await app.As(ReviewFixture.Rita);
        var panel = await (await rita.HtmxPostAsync($"/review/{callId}/annotations", $"/review/{callId}", ReviewClient.Annotation(start: "17.5", category: "rude-tone"))).Content.ReadAsStringAsync();
        var annotationId = Regex.Match(panel, "data-id=\"(\\d+)\"").Groups[1].Value;

        var leo = await app.As(ReviewFixture.Leo);
        Assert.Contains($"/reviews/mine/{callId}", await leo.GetStringAsync("/reviews/mine"));
        const string comment = "<b>I</b> explained the refund policy politely";
        var disputed = await leo.PostFormAsync($"/reviews/mine/{callId}/disputes", [new("AnnotationId", annotationId), new("Comment", comment)], $"/reviews/mine/{callId}");
        Assert.Equal(HttpStatusCode.Redirect, disputed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await leo.PostFormAsync($"/reviews/mine/{callId}/acknowledge", [], $"/reviews/mine/{callId}")).StatusCode);
        Assert.Contains("Acknowledged", await leo.GetStringAsync($"/reviews/mine/{callId}"));

        var sue = await app.As(ReviewFixture.Sue);
        var disputes = await sue.GetStringAsync("/reviews/disputes");
        Assert.Contains("&lt;b&gt;I&lt;/b&gt; explained the refund policy politely", disputes);
        Assert.DoesNotContain(comment, disputes);
        var disputeId = Regex.Match(disputes, "/reviews/disputes/(\\d+)/resolve").Groups[1].Value;
        var resolved = await sue.PostFormAsync($"/reviews/disputes/{disputeId}/resolve", [new("Outcome", "remove"), new("Resolution", "Agreed, tone was fine")], "/reviews/disputes");
        Assert.Equal(HttpStatusCode.Redirect, resolved.StatusCode);

        Assert.DoesNotContain($"data-id=\"{annotationId}\"", await rita.GetStringAsync($"/review/{callId}"));
        var history = await rita.HtmxGetStringAsync($"/review/{callId}/annotations/{annotationId}/history");
        Assert.Contains("<strong>Deleted</strong> by Sue Supervisor", history);
        var mine = await leo.GetStringAsync($"/reviews/mine/{callId}");
        Assert.Contains("<span class=\"tag\">removed by the supervisor</span>", mine);
        Assert.Contains("On the annotation <strong>Rude tone</strong> at 0:17.5:", mine);
        Assert.Contains("Agreed, tone was fine", mine);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Dispute_CallWhereTheLearnerIsNotTheAgent_Is404(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var admin = await app.AdminAsync();
        await CallReview.Tests.Web.Features.Admin.AdminClient.CreateUserAsync(admin, "lou@test.local", "Lou Learner", ReviewFixture.Password, ["learner"], app.North);
        var callId = await app.InsertCallAsync("Leo's other call", app.North, app.LeoId);
        var rita = await app.As(ReviewFixture.Rita);
        var panel = await (await rita.HtmxPostAsync($"/review/{callId}/annotations", $"/review/{callId}", ReviewClient.Annotation(start: "5"))).Content.ReadAsStringAsync();
        var annotationId = Regex.Match(panel, "data-id=\"(\\d+)\"").Groups[1].Value;

        var lou = await app.As("lou@test.local");
        Assert.Equal(HttpStatusCode.NotFound, (await lou.GetAsync($"/reviews/mine/{callId}")).StatusCode);
        var response = await lou.PostFormAsync($"/reviews/mine/{callId}/disputes", [new("AnnotationId", annotationId), new("Comment", "not mine")], "/reviews/mine");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Dispute WHERE CallId = @callId", new { callId }));
    }

    [DatabaseTheory, DatabaseData]
    public async Task Dispute_Criterion_SupervisorChangesPointsAndTheScoreIsRecomputed(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var callId = await app.InsertCallAsync("Criterion dispute", app.North, app.LeoId);
        var rita = await app.As(ReviewFixture.Rita);
        var html = await rita.GetStringAsync($"/review/{callId}");
        var ids = Regex.Matches(html, "id=\"criterion-(\\d+)\"").Select(m => m.Groups[1].Value).ToList();
        var scored = await rita.HtmxPostAsync($"/review/{callId}/scorecard", $"/review/{callId}",
            [.. ids.Select((id, i) => ($"Points[{id}]", i == 0 ? "0" : "na")), ("Comment", "Check the order number first")]);
        Assert.Contains("data-score=\"0\"", await scored.Content.ReadAsStringAsync());

        var leo = await app.As(ReviewFixture.Leo);
        var mine = await leo.GetStringAsync($"/reviews/mine/{callId}");
        Assert.Matches("Overall <strong>0%</strong>[^<]*<span class=\"muted\">by Rita Reviewer</span>", mine);
        Assert.Contains("Check the order number first", mine);
        var resultId = Regex.Match(mine, "name=\"ResultId\" value=\"(\\d+)\"").Groups[1].Value;
        await leo.PostFormAsync($"/reviews/mine/{callId}/disputes", [new("ResultId", resultId), new("CriterionId", ids[0]), new("Comment", "I was right")], $"/reviews/mine/{callId}");
        Assert.Matches("On the criterion <strong>[^<]+</strong>:</span>\\s+I was right", await leo.GetStringAsync($"/reviews/mine/{callId}"));

        var sue = await app.As(ReviewFixture.Sue);
        var disputeId = Regex.Match(await sue.GetStringAsync("/reviews/disputes"), "/reviews/disputes/(\\d+)/resolve").Groups[1].Value;
        await sue.PostFormAsync($"/reviews/disputes/{disputeId}/resolve", [new("Outcome", "change"), new("Points", ids.Count > 0 ? "4" : "0")], "/reviews/disputes");

        Assert.Contains("data-score=\"100\"", await rita.GetStringAsync($"/review/{callId}"));
    }
}
