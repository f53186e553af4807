using System.Net;
using System.Text.RegularExpressions;
using CallReview.Tests.Web.Features.Review;

namespace CallReview.Tests.Web.Features.Practice;

/// <summary>The learner's flow over HTTP: the answer never reaches the browser before submitting; scoring, results, discussion, permissions.</summary>
public sealed class PracticeTests(LearningFixture app) : IClassFixture<LearningFixture>
{
    /// <summary>Everything that would give the answer away: texts, times (call clock and excerpt clock), keywords, categories outside the picker.</summary>
    private static void AssertNoAnswer(string body, string url)
    {
        var outsidePicker = Regex.Replace(body, "<option[^>]*>.*?</option>", "", RegexOptions.Singleline);
        string[] secrets =
        [
            LearningFixture.Quote, "kiwifruit", LearningFixture.Expected, "zebrafish", "papaya", "gooseberry", LearningFixture.ModelAnswer, "marmalade",
            LearningFixture.Keywords, "refund date",
            "18.234", "18234", "0:18.2", "13.456", "13456", "0:13.4", "8.234", "8234", "0:08.2", "3.456", "3456", "0:03.4",
        ];
        foreach (var secret in secrets)
            Assert.False(body.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{url} leaks \"{secret}\"");
        foreach (var category in new[] { "no-ownership", "No ownership", "no-empathy", "No empathy" })
            Assert.False(outsidePicker.Contains(category, StringComparison.OrdinalIgnoreCase), $"{url} shows the answer's category \"{category}\" outside the picker");
        Assert.DoesNotMatch("<option value=\"[a-z-]+\" selected", body);
    }

    [Fact]
    public async Task LearnerEndpoints_BeforeSubmitting_NeverCarryTheAnswer()
    {
        var leo = await app.As(ReviewFixture.Leo);
        var urls = new List<string> { "/practice", "/practice/leaderboard" };
        foreach (var id in new[] { app.Spot, app.Excerpt, app.Comparison })
            urls.AddRange([$"/practice/exercises/{id}", $"/practice/exercises/{id}/peaks?side=a", $"/practice/exercises/{id}/audio?side=a"]);
        urls.AddRange([$"/practice/exercises/{app.Comparison}/peaks?side=b", $"/practice/exercises/{app.Comparison}/audio?side=b"]);
        foreach (var url in urls)
        {
            var response = await leo.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            var body = System.Text.Encoding.Latin1.GetString(await response.Content.ReadAsByteArrayAsync());
            AssertNoAnswer(body + response.Headers + response.Content.Headers, url);
        }
        foreach (var url in new[] { $"/practice/exercises/{app.Spot}/discussion", $"/practice/exercises/{app.Spot}/audio?side=b" })
            Assert.Equal(HttpStatusCode.NotFound, (await leo.GetAsync(url)).StatusCode);

        // An invalid submission re-renders the player: still no answer.
        var invalid = await leo.PostFormAsync($"/practice/exercises/{app.Spot}", [new("Critique", "x")]);
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        var html = await invalid.Content.ReadAsStringAsync();
        Assert.Contains("Pin at least one moment", html);
        AssertNoAnswer(html, "invalid submit");
    }

    [Fact]
    public async Task Player_ShowsHintsTranscriptAndEveryCategory_WithoutTags()
    {
        var leo = await app.As(ReviewFixture.Leo);
        var html = await leo.GetStringAsync($"/practice/exercises/{app.Spot}");
        Assert.Contains(LearningFixture.Hint, html);
        Assert.Contains("Refunds take time, there is nothing I can do.", html);
        Assert.Contains("value=\"rude-tone\"", html);
        Assert.Contains($"/practice/exercises/{app.Spot}/audio?side=a", html);
        Assert.DoesNotContain($"/calls/{app.AnnotatedCall}", html);
    }

    [Fact]
    public async Task Excerpt_PlayerClockStartsAtTheExcerpt_AndAudioIsCut()
    {
        var leo = await app.As(ReviewFixture.Leo);
        var html = await leo.GetStringAsync($"/practice/exercises/{app.Excerpt}");
        Assert.Contains("data-duration=\"15\"", html);
        Assert.DoesNotContain("Thank you for calling", html);
        var peaks = System.Text.Json.JsonDocument.Parse(await leo.GetStringAsync($"/practice/exercises/{app.Excerpt}/peaks?side=a"));
        Assert.InRange(peaks.RootElement.GetProperty("duration").GetDouble(), 14.5, 15.5);
    }

    [Fact]
    public async Task Submit_PinsOnBothAnswers_PerfectScoreExpertAnswerAndModelAnswerShown()
    {
        var lou = await app.As(LearningFixture.Lou);
        var attempt = await lou.SubmitAsync(app.Spot, [("a", 19.0, "no-ownership"), ("a", 13.0, "no-empathy")], LearningFixture.Critique);

        var html = await lou.GetStringAsync($"/practice/attempts/{attempt}");
        Assert.Contains("<strong>100</strong> / 100", html);
        Assert.Contains(LearningFixture.Quote, html);
        Assert.Contains(LearningFixture.Expected, html);
        Assert.Contains(LearningFixture.ModelAnswer, html);
        Assert.Contains("data-label=\"Expert: No ownership / follow-up\"", html);
        Assert.Contains("data-label=\"You: No ownership / follow-up\"", html);
        Assert.Contains("id=\"discussion\"", html);
        Assert.Contains("First perfect spot", await lou.GetStringAsync("/practice"));
    }

    [Fact]
    public async Task Submit_OnTheExcerpt_PinIsStoredOnTheCallsClockAndMatched()
    {
        var lou = await app.As(LearningFixture.Lou);
        var attempt = await lou.SubmitAsync(app.Excerpt, [("a", 8.3, "no-ownership"), ("a", 3.5, "no-empathy"), ("a", 14.9, "rude-tone")], "short");
        Assert.Equal(18_300L, await app.QueryOneAsync<long>("SELECT AtMs FROM AttemptPin WHERE AttemptId = @attempt AND CategoryCode = 'no-ownership'", new { attempt }));
        var html = await lou.GetStringAsync($"/practice/attempts/{attempt}");
        Assert.Contains("matched no answer", html);
    }

    [Fact]
    public async Task Submit_AMiss_SchedulesTheCategoryForTomorrow()
    {
        var lou = await app.As(LearningFixture.Lou);
        await lou.SubmitAsync(app.Spot, [("a", 19.0, "no-ownership")], LearningFixture.Critique);
        var due = await app.QueryOneAsync<string>(
            "SELECT DueAt FROM PracticeSchedule WHERE UserId = (SELECT Id FROM UserAccount WHERE Email = @Lou) AND CategoryCode = 'no-empathy'",
            new { LearningFixture.Lou });
        Assert.InRange(DateTimeOffset.Parse(due, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
    }

    [Fact]
    public async Task Discussion_AfterSubmitting_PostReactAndSupervisorPins()
    {
        var lou = await app.As(LearningFixture.Lou);
        await lou.SubmitAsync(app.Spot, [("a", 19.0, "no-ownership")], LearningFixture.Critique);
        var posted = await lou.HtmxPostAsync($"/practice/exercises/{app.Spot}/discussion", $"/practice/exercises/{app.Spot}/discussion", ("body", "I once promised a <b>date</b> and kept it."));
        var thread = await posted.Content.ReadAsStringAsync();
        Assert.Contains("I once promised a &lt;b&gt;date&lt;/b&gt; and kept it.", thread);
        var postId = Regex.Match(thread, "id=\"post-(\\d+)\"").Groups[1].Value;

        var reacted = await lou.HtmxPostAsync($"/practice/posts/{postId}/react", $"/practice/exercises/{app.Spot}/discussion", ("reaction", "helpful"));
        Assert.Contains("aria-pressed=\"true\"", await reacted.Content.ReadAsStringAsync());
        Assert.Contains("Shared a story", await lou.GetStringAsync("/practice"));

        var leo = await app.As(ReviewFixture.Leo);
        Assert.Equal(HttpStatusCode.NotFound, (await leo.GetAsync($"/practice/exercises/{app.Spot}/discussion")).StatusCode);
        var sue = await app.As(ReviewFixture.Sue);
        var pinned = await sue.HtmxPostAsync($"/practice/posts/{postId}/pin", $"/practice/exercises/{app.Spot}/discussion", ("x", "1"));
        Assert.Contains(">pinned<", await pinned.Content.ReadAsStringAsync());
        var notPinned = await lou.HtmxPostAsync($"/practice/posts/{postId}/pin", $"/practice/exercises/{app.Spot}/discussion", ("x", "1"));
        Assert.Equal(HttpStatusCode.NotFound, notPinned.StatusCode);
    }

    [Fact]
    public async Task Comparison_TwoPlayersThenChoiceAndPinsScored()
    {
        var lou = await app.As(LearningFixture.Lou);
        var player = await lou.GetStringAsync($"/practice/exercises/{app.Comparison}");
        Assert.Contains($"src=\"/practice/exercises/{app.Comparison}/audio?side=b\" data-player=\"b\"", player);
        Assert.Contains("name=\"ChosenSide\" value=\"b\"", player);

        var attempt = await lou.SubmitAsync(app.Comparison, [("a", 18.5, "no-ownership")], LearningFixture.Critique, chosenSide: "b");
        var html = await lou.GetStringAsync($"/practice/attempts/{attempt}");
        Assert.Contains("Call B — served the customer better", html);
        Assert.Contains("<strong>100</strong> / 100", html);
    }

    [Fact]
    public async Task LearnerOfAnotherTeam_CannotOpenSubmitOrHearTheExercise()
    {
        var eve = await app.As(LearningFixture.Eve);
        foreach (var url in new[] { $"/practice/exercises/{app.Spot}", $"/practice/exercises/{app.Spot}/audio?side=a", $"/practice/exercises/{app.Spot}/peaks?side=a", $"/practice/exercises/{app.Spot}/discussion" })
            Assert.Equal(HttpStatusCode.NotFound, (await eve.GetAsync(url)).StatusCode);
        var submit = await eve.PostFormAsync($"/practice/exercises/{app.Spot}", [new("Pins[0].Side", "a"), new("Pins[0].At", "18"), new("Pins[0].Category", "no-ownership")], "/practice");
        Assert.Equal(HttpStatusCode.NotFound, submit.StatusCode);
        Assert.DoesNotContain("Spot it", await eve.GetStringAsync("/practice"));
    }

    [Fact]
    public async Task DraftExercise_IsNotOpenToLearners()
    {
        var leo = await app.As(ReviewFixture.Leo);
        Assert.Equal(HttpStatusCode.NotFound, (await leo.GetAsync($"/practice/exercises/{app.Draft}")).StatusCode);
        Assert.DoesNotContain("Not yet", await leo.GetStringAsync("/practice"));
    }

    [Fact]
    public async Task AnotherLearnersAttempt_IsNotFound()
    {
        var lou = await app.As(LearningFixture.Lou);
        var attempt = await lou.SubmitAsync(app.Spot, [("a", 19.0, "no-ownership")], LearningFixture.Critique);
        var leo = await app.As(ReviewFixture.Leo);
        Assert.Equal(HttpStatusCode.NotFound, (await leo.GetAsync($"/practice/attempts/{attempt}")).StatusCode);
    }

    [Fact]
    public async Task Posts_WithoutAntiforgeryToken_AreRejected()
    {
        var lou = await app.As(LearningFixture.Lou);
        foreach (var url in new[] { $"/practice/exercises/{app.Spot}", $"/practice/exercises/{app.Spot}/discussion", "/practice/preferences" })
        {
            var response = await lou.PostAsync(url, new FormUrlEncodedContent([new("Critique", "x"), new("body", "x")]));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Leaderboard_HiddenName_ShownAsALearnerToOthers()
    {
        var lou = await app.As(LearningFixture.Lou);
        await lou.SubmitAsync(app.Spot, [("a", 19.0, "no-ownership")], LearningFixture.Critique);
        var saved = await lou.PostFormAsync("/practice/preferences", [new("hideFromLeaderboard", "true")], "/practice/leaderboard");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("Lou Learner (you)", await lou.GetStringAsync("/practice/leaderboard"));
        var leo = await app.As(ReviewFixture.Leo);
        var board = await leo.GetStringAsync("/practice/leaderboard");
        Assert.DoesNotContain("Lou Learner", board);
        Assert.Contains("A learner", board);
    }
}
