using System.Net;
using System.Text.RegularExpressions;
using CallReview.Db;
using CallReview.Tests.Db;

namespace CallReview.Tests.Web.Features.Review;

public sealed class AnnotationsTests(PerDatabase<AnnotationsTests.Fixture> apps) : IClassFixture<PerDatabase<AnnotationsTests.Fixture>>
{
    public sealed class Fixture : ReviewFixture;

    private static string Page(ReviewFixture app) => $"/review/{app.NorthCall}";
    private static string Annotations(ReviewFixture app) => $"{Page(app)}/annotations";

    [DatabaseTheory, DatabaseData]
    public async Task ReviewPage_TeamCall_ShowsTimelineTranscriptAndScorecard(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);

        var html = await rita.GetStringAsync(Page(app));

        Assert.Contains("data-timeline", html);
        Assert.Contains("I have been waiting for a refund for a month.", html);
        Assert.Contains("data-start=\"12.5\"", html);
        Assert.Contains("Product knowledge accuracy", html);
    }

    [DatabaseTheory, DatabaseData]
    public async Task ReviewPage_OtherTeamsCall_Is404(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var sam = await app.As(ReviewFixture.Sam);

        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync(Page(app))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sam.GetAsync($"{Annotations(app)}/new?start=3")).StatusCode);
    }

    [DatabaseTheory, DatabaseData]
    public async Task ReviewPage_Learner_IsRefused(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var leo = await app.As(ReviewFixture.Leo);

        var response = await leo.GetAsync(Page(app));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
    }

    [DatabaseTheory, DatabaseData]
    public async Task NewForm_AtAMoment_PrefillsTheCustomersWordsAndTime(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);

        var form = await rita.HtmxGetStringAsync($"{Annotations(app)}/new?start=14.25");

        Assert.Contains("I have been waiting for a refund for a month.</textarea>", form);
        Assert.Contains("name=\"start\" type=\"number\" step=\"0.001\" min=\"0\" max=\"30\" value=\"14.25\"", form);
    }

    [DatabaseTheory, DatabaseData]
    public async Task NewForm_ForARange_QuotesEveryCustomerTurnInIt(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);

        var form = await rita.HtmxGetStringAsync($"{Annotations(app)}/new?start=4&end=20");

        Assert.Contains("My invoice is wrong again and nobody called me back last week. I have been waiting for a refund for a month.</textarea>", form);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Create_Valid_ShowsMarkerAtTheTimeAndRecordsCreation(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);

        var response = await rita.HtmxPostAsync(Annotations(app), Page(app), ReviewClient.Annotation(start: "13.5", end: "16", quote: "refund for a month"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var panel = await response.Content.ReadAsStringAsync();
        var id = Regex.Match(panel, "data-marker data-id=\"(\\d+)\" data-kind=\"unmet\"\\s+data-start=\"13.5\" data-end=\"16\" data-label=\"No empathy\"");
        Assert.True(id.Success, panel);
        var history = await rita.HtmxGetStringAsync($"{Annotations(app)}/{id.Groups[1].Value}/history");
        Assert.Contains("<strong>Created</strong> by Rita Reviewer", history);
        Assert.Contains("refund for a month", await rita.GetStringAsync(Page(app)));
    }

    [Theory]
    [InlineData("31", "", "no-empathy", "2", "Start must be inside the call")]
    [InlineData("-1", "", "no-empathy", "2", "Start must be inside the call")]
    [InlineData("10", "9", "no-empathy", "2", "End must be after start.")]
    [InlineData("10", "40", "no-empathy", "2", "End must be inside the call")]
    [InlineData("10", "", "made-up", "2", "&quot;made-up&quot; is not an active category.")]
    [InlineData("10", "", "no-empathy", "4", "Severity must be 1, 2 or 3.")]
    [InlineData("", "", "no-empathy", "2", "Start (seconds from the call&#x27;s start) is required.")]
    public async Task Create_Invalid_ReRendersTheFormWithTheErrorAndSavesNothing(string start, string end, string category, string severity, string message)
    {
        var app = await apps.For(DatabaseProvider.Sqlite);
        var rita = await app.As(ReviewFixture.Rita);
        var before = Regex.Matches(await rita.GetStringAsync(Page(app)), "data-marker ").Count;

        var response = await rita.HtmxPostAsync(Annotations(app), Page(app), ReviewClient.Annotation(start: start, end: end, category: category, severity: severity, quote: "validation probe"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var panel = await response.Content.ReadAsStringAsync();
        Assert.Contains(message, panel);
        Assert.Contains("class=\"annotation-form\"", panel);
        Assert.Equal(before, Regex.Matches(await rita.GetStringAsync(Page(app)), "data-marker ").Count);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Create_ModelMoment_NeedsNoSeverity(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);

        var response = await rita.HtmxPostAsync(Annotations(app), Page(app), ReviewClient.Annotation(start: "0.5", kind: "exemplary", severity: "", category: "missed-opportunity", quote: "Thank you for calling"));

        var panel = await response.Content.ReadAsStringAsync();
        Assert.Matches("data-kind=\"exemplary\"\\s+data-start=\"0.5\"", panel);
        Assert.Contains("Model moment", panel);
    }

    [DatabaseTheory, DatabaseData]
    public async Task EditThenDelete_ChangesTheListAndKeepsEachStepInTheHistory(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);
        var created = await (await rita.HtmxPostAsync(Annotations(app), Page(app), ReviewClient.Annotation(start: "22", quote: "edit-delete probe"))).Content.ReadAsStringAsync();
        var id = Regex.Match(created, "data-id=\"(\\d+)\" data-kind=\"unmet\"\\s+data-start=\"22\"").Groups[1].Value;
        Assert.NotEmpty(id);

        var editForm = await rita.HtmxGetStringAsync($"{Annotations(app)}/{id}/edit");
        Assert.Contains("edit-delete probe</textarea>", editForm);
        var edited = await (await rita.HtmxPostAsync($"{Annotations(app)}/{id}", Page(app), ReviewClient.Annotation(start: "22", category: "complaint-mishandled", severity: "3", quote: "edit-delete probe"))).Content.ReadAsStringAsync();
        Assert.Matches($"data-id=\"{id}\" data-kind=\"unmet\"\\s+data-start=\"22\" data-end=\"\" data-label=\"Complaint mishandled\"", edited);

        var afterDelete = await (await rita.HtmxPostAsync($"{Annotations(app)}/{id}/delete", Page(app))).Content.ReadAsStringAsync();
        Assert.DoesNotContain($"data-id=\"{id}\"", afterDelete);

        var history = await rita.HtmxGetStringAsync($"{Annotations(app)}/{id}/history");
        Assert.Equal(["Created", "Changed", "Deleted"], Regex.Matches(history, "<strong>(\\w+)</strong>").Select(m => m.Groups[1].Value));
        Assert.Contains("Created</strong> by Rita", history);
        Assert.Contains("<li>Quote: “edit-delete probe”</li>", history);
        Assert.Contains("<li>Should have: “Acknowledge the wait and give a date”</li>", history);
        Assert.Contains("<li>Severity: 2 → 3</li>", history);
        Assert.Matches("<li>Category: [^<]+ → Complaint mishandled</li>", history);
        Assert.DoesNotContain("<li>Quote:", history[history.IndexOf("Changed</strong>", StringComparison.Ordinal)..]);
        Assert.DoesNotContain("{", history);
    }

    [DatabaseTheory, DatabaseData]
    public async Task History_OfAModelMoment_SaysWhyItWorksAsTheListDoes(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);
        var created = await (await rita.HtmxPostAsync(Annotations(app), Page(app),
            ReviewClient.Annotation(start: "27", kind: "exemplary", severity: "", expected: "Owned the callback"))).Content.ReadAsStringAsync();
        var id = Regex.Match(created, "data-id=\"(\\d+)\" data-kind=\"exemplary\"\\s+data-start=\"27\"").Groups[1].Value;
        Assert.Contains("Why it works:</span> Owned the callback", created);

        var history = await rita.HtmxGetStringAsync($"{Annotations(app)}/{id}/history");
        Assert.Contains("<li>Why it works: “Owned the callback”</li>", history);
        Assert.DoesNotContain("expected", history);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Edit_SomeoneElsesAnnotation_IsForbiddenButASupervisorMay(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);
        var created = await (await rita.HtmxPostAsync(Annotations(app), Page(app), ReviewClient.Annotation(start: "25"))).Content.ReadAsStringAsync();
        var id = Regex.Match(created, "data-id=\"(\\d+)\" data-kind=\"unmet\"\\s+data-start=\"25\"").Groups[1].Value;

        var rob = await app.As(ReviewFixture.Rob);
        var robs = await rob.HtmxPostAsync($"{Annotations(app)}/{id}", Page(app), ReviewClient.Annotation(start: "25", category: "rude-tone"));
        Assert.Equal(HttpStatusCode.Forbidden, robs.StatusCode);

        var sue = await app.As(ReviewFixture.Sue);
        var sues = await sue.HtmxPostAsync($"{Annotations(app)}/{id}", Page(app), ReviewClient.Annotation(start: "25", category: "rude-tone"));
        Assert.Equal(HttpStatusCode.OK, sues.StatusCode);
        Assert.Matches($"data-id=\"{id}\"[^>]*data-label=\"Rude tone\"", await sues.Content.ReadAsStringAsync());
    }

    [DatabaseTheory, DatabaseData]
    public async Task ReviewPage_ShowsEditAndDeleteToTheAuthorAndASupervisorOnly_WhateverViewedTheCardsBefore(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);
        var created = await (await rita.HtmxPostAsync(Annotations(app), Page(app), ReviewClient.Annotation(start: "26"))).Content.ReadAsStringAsync();
        var id = Regex.Match(created, "data-id=\"(\\d+)\" data-kind=\"unmet\"\\s+data-start=\"26\"").Groups[1].Value;
        var delete = $"hx-post=\"{Annotations(app)}/{id}/delete\"";
        var sue = await app.As(ReviewFixture.Sue);
        var rob = await app.As(ReviewFixture.Rob);

        // The same cards, one reader after another (the page's panel is rendered once per key): each sees only what they may do.
        Assert.Contains(delete, await sue.GetStringAsync(Page(app)));
        Assert.DoesNotContain(delete, await rob.GetStringAsync(Page(app)));
        Assert.Contains(delete, await rita.GetStringAsync(Page(app)));
        Assert.DoesNotContain(delete, await rob.GetStringAsync(Page(app)));
        Assert.Contains($"id=\"annotation-{id}\"", await rob.GetStringAsync(Page(app)));
    }

    [DatabaseTheory, DatabaseData]
    public async Task Create_ScriptInQuoteAndExpected_IsRenderedInert(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);
        const string payload = "<script>alert('x')</script><img src=x onerror=alert(1)>";

        await rita.HtmxPostAsync(Annotations(app), Page(app), ReviewClient.Annotation(start: "5", quote: payload, expected: payload));

        var html = await rita.GetStringAsync(Page(app));
        Assert.DoesNotContain(payload, html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", html);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Create_WithoutAntiforgeryToken_Is400(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);

        var response = await rita.PostAsync(Annotations(app), new FormUrlEncodedContent(ReviewClient.Annotation().Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
