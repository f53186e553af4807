using System.Net;
using System.Text.RegularExpressions;
using CallReview.Tests.Web.Features.Review;

namespace CallReview.Tests.Web.Features.Practice;

/// <summary>
/// An exercise's answer reaches a learner nowhere before they submit: not through the review of their own call the
/// exercise was built from, not through the practice queue's labels, not through the builder's default title.
/// </summary>
public sealed class AnswerSpoilerTests(AnswerSpoilerTests.Fixture app) : IClassFixture<AnswerSpoilerTests.Fixture>
{
    public sealed class Fixture : LearningFixture
    {
        public const string OwnQuote = "Leo's call quote persimmon", OwnExpected = "Offer a callback quince";

        /// <summary>A spot exercise built on Leo's own (North) call, published to North.</summary>
        public int OwnCallExercise { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await this.InsertAnnotationAsync(NorthCall, await this.UserIdAsync(Rita), "unmet", 21_700, null, "rude-tone", OwnQuote, OwnExpected);
            var rita = await As(Rita);
            OwnCallExercise = await rita.SaveExerciseAsync(ExerciseFields(NorthCall, "Practise on a real call", publish: true, North));
            // A scored review, so the call counts in the agent's performance review too.
            await rita.ScoreFirstCriterionZeroAsync($"/review/{NorthCall}");
        }
    }

    private static void AssertNoOwnCallAnswer(string html, string url)
    {
        foreach (var secret in new[] { "persimmon", "quince", "Rude tone", "rude-tone", "21.7" })
            Assert.False(html.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{url} leaks \"{secret}\"");
    }

    [Fact]
    public async Task OwnCallReview_WhileAnExerciseOnItIsOpen_IsHeldBackUntilTheLearnerSubmits()
    {
        var leo = await app.As(ReviewFixture.Leo);
        var url = $"/reviews/mine/{app.NorthCall}";

        var page = await leo.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        AssertNoOwnCallAnswer(html, url);
        Assert.Contains($"href=\"/practice/exercises/{app.OwnCallExercise}\"", html);
        AssertNoOwnCallAnswer(await leo.GetStringAsync("/reviews/mine"), "/reviews/mine");

        var annotation = app.AnnotationIds(app.NorthCall).Single();
        var dispute = await leo.PostFormAsync($"{url}/disputes", [new("AnnotationId", annotation.ToString()), new("Comment", "Not me")], url);
        AssertNoOwnCallAnswer(await dispute.Content.ReadAsStringAsync(), "dispute");
        Assert.Equal(0, await app.QueryOneAsync<int>("SELECT COUNT(*) FROM Dispute WHERE CallId = @NorthCall", new { app.NorthCall }));

        var performance = $"/trends/agents/{app.LeoId}";
        Assert.Equal(HttpStatusCode.OK, (await leo.GetAsync(performance)).StatusCode);
        foreach (var secret in new[] { "persimmon", "quince" })
            Assert.DoesNotContain(secret, await leo.GetStringAsync(performance));

        await leo.SubmitAsync(app.OwnCallExercise, [("a", 21.5, "rude-tone")], LearningFixture.Critique);

        var after = await leo.GetStringAsync(url);
        Assert.Contains("persimmon", after);
        Assert.Contains("quince", after);
    }

    [Fact]
    public async Task PracticeQueue_ExerciseNotYetAttempted_IsNotLabelledWithItsCategories()
    {
        var lou = await app.As(LearningFixture.Lou);
        // Lou missed "No empathy" before: the category is due. Spot (tagged no-empathy) is not attempted yet.
        var louId = await app.UserIdAsync(LearningFixture.Lou);
        await app.QueryOneAsync<int>(
            "INSERT INTO PracticeSchedule (UserId, CategoryCode, Step, Hits, Misses, DueAt, UpdatedAt) VALUES (@louId, 'no-empathy', 0, 0, 1, @due, @due); SELECT 1",
            new { louId, due = DateTimeOffset.UtcNow.AddDays(-1) });

        var html = await lou.GetStringAsync("/practice");

        var queue = Regex.Match(html, "<ol class=\"queue\" data-queue>.*?</ol>", RegexOptions.Singleline).Value;
        Assert.NotEmpty(queue);
        Assert.DoesNotContain("No empathy", queue);
        Assert.DoesNotContain("No ownership", queue);
        Assert.DoesNotContain("practise again", queue);
    }

    [Fact]
    public async Task Builder_DefaultTitle_IsNotTheCallsTitle_AndCategoryNamesInTitleOrHintsAreWarned()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var callId = await app.InsertCallAsync("Complaint mishandled: the engineer who never came", app.North, null);
        await app.InsertAnnotationAsync(callId, await app.UserIdAsync(ReviewFixture.Rita), "unmet", 5_000, null, "complaint-mishandled", "q", "e");

        foreach (var kind in new[] { "spot", "exemplary" })
        {
            var html = await rita.GetStringAsync($"/exercises/new?callId={callId}&kind={kind}");
            var title = Regex.Match(html, "name=\"Title\"[^>]*? value=\"([^\"]*)\"").Groups[1].Value;
            Assert.NotEmpty(title);
            Assert.DoesNotContain("mishandled", title, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("engineer who never came", title);
            Assert.DoesNotContain("data-spoiler-warnings", html);
        }
        var comparison = await rita.GetStringAsync($"/exercises/new?callId={callId}&secondCallId={app.AnnotatedCall}");
        Assert.DoesNotContain("mishandled", Regex.Match(comparison, "name=\"Title\"[^>]*? value=\"([^\"]*)\"").Groups[1].Value, StringComparison.OrdinalIgnoreCase);

        var fields = app.ExerciseFields(app.AnnotatedCall, "Spot the rude tone", publish: false, app.North)
            .Where(f => f.Key != "Hints").Append(new("Hints", "Think about ownership and the follow-up."));
        var id = await rita.SaveExerciseAsync(fields);
        var edit = await rita.GetStringAsync($"/exercises/{id}");
        var warnings = Regex.Match(edit, "<div class=\"warnings\"[^>]*>.*?</div>", RegexOptions.Singleline).Value;
        Assert.Contains("The title names the category &quot;Rude tone&quot;", warnings);
        Assert.Contains("The hints name the category &quot;No ownership / follow-up&quot;", warnings);
    }
}
