using System.Net;
using System.Text.RegularExpressions;
using CallReview.Tests.Web.Features.Review;

namespace CallReview.Tests.Web.Features.Practice;

/// <summary>Threads under each call moment (an expert answer): shown after submitting, refused before, kept to their exercise, encoded.</summary>
public sealed class MomentDiscussionTests(LearningFixture app) : IClassFixture<LearningFixture>
{
    private string Discussion => $"/practice/exercises/{app.Spot}/discussion";

    private Task<int> AnswerAsync(int exerciseId, string category) =>
        app.QueryOneAsync<int>("SELECT Id FROM ExerciseAnswer WHERE ExerciseId = @exerciseId AND CategoryCode = @category", new { exerciseId, category });

    /// <summary>Lou submits the spot exercise and shares a story under its ownership moment; returns the moment's answer id and the thread html.</summary>
    private async Task<(HttpClient Lou, int Ownership, string Thread)> LouSharesAsync(string story)
    {
        var lou = await app.As(LearningFixture.Lou);
        await lou.SubmitAsync(app.Spot, [("a", 19.0, "no-ownership")], LearningFixture.Critique);
        var ownership = await AnswerAsync(app.Spot, "no-ownership");
        var response = await lou.HtmxPostAsync(Discussion, Discussion, ("answerId", ownership.ToString()), ("body", story));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (lou, ownership, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The element with the given id up to the next moment thread or the exercise's own thread.</summary>
    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no #{id} in {html}");
        var ends = new[] { html.IndexOf("id=\"moment-", start + 1, StringComparison.Ordinal), html.IndexOf("id=\"discussion\"", start + 1, StringComparison.Ordinal) };
        var end = ends.Where(i => i > 0).DefaultIfEmpty(html.Length).Min();
        return html[start..end];
    }

    [Fact]
    public async Task SubmittedLearner_PostsUnderAMoment_ShownUnderThatMomentOnResultAndDiscussionPages()
    {
        const string story = "I gave my name and a callback date, quince story";
        var (lou, ownership, thread) = await LouSharesAsync(story);
        var empathy = await AnswerAsync(app.Spot, "no-empathy");
        Assert.StartsWith($"<div id=\"moment-{ownership}\"", thread.TrimStart());
        Assert.Contains(story, thread);

        var attempt = await lou.SubmitAsync(app.Spot, [("a", 19.0, "no-ownership")], LearningFixture.Critique);
        var result = await lou.GetStringAsync($"/practice/attempts/{attempt}");
        var stories = await app.QueryOneAsync<int>("SELECT COUNT(*) FROM Post WHERE AnswerId = @ownership", new { ownership });
        Assert.Contains($"{stories} {(stories == 1 ? "story" : "stories")} about this moment", Section(result, $"moment-{ownership}"));
        Assert.Contains("0 stories about this moment", Section(result, $"moment-{empathy}"));
        Assert.Contains($"hx-get=\"{Discussion}?answerId={ownership}\"", result);
        Assert.Contains(story, await lou.HtmxGetStringAsync($"{Discussion}?answerId={ownership}"));
        Assert.DoesNotContain(story, Section(result, "discussion"));

        var page = await lou.GetStringAsync(Discussion);
        Assert.Contains("0:18.2–0:20.2 · No ownership / follow-up", page);
        Assert.Contains(story, Section(page, $"moment-{ownership}"));
        Assert.DoesNotContain(story, Section(page, $"moment-{empathy}"));
        Assert.DoesNotContain(story, Section(page, "discussion"));
        Assert.True(page.IndexOf($"id=\"moment-{ownership}\"", StringComparison.Ordinal) < page.IndexOf("id=\"discussion\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReactAndPin_OnAMomentPost_ReturnThatMomentsThread()
    {
        var (lou, ownership, thread) = await LouSharesAsync("Reacting to this one, medlar story");
        var postId = Regex.Match(thread, "id=\"post-(\\d+)\"").Groups[1].Value;
        var reacted = await (await lou.HtmxPostAsync($"/practice/posts/{postId}/react", Discussion, ("reaction", "same"))).Content.ReadAsStringAsync();
        Assert.StartsWith($"<div id=\"moment-{ownership}\"", reacted.TrimStart());
        Assert.Contains("aria-pressed=\"true\"", reacted);
        Assert.Contains($"hx-target=\"#moment-{ownership}\"", reacted);

        var sue = await app.As(ReviewFixture.Sue);
        var pinned = await (await sue.HtmxPostAsync($"/practice/posts/{postId}/pin", Discussion, ("x", "1"))).Content.ReadAsStringAsync();
        Assert.StartsWith($"<div id=\"moment-{ownership}\"", pinned.TrimStart());
        Assert.Contains(">pinned<", pinned);
    }

    [Fact]
    public async Task LearnerWhoHasNotSubmitted_GetsNotFound_AndSeesNoMomentStoryInThePlayer()
    {
        const string story = "Spoiler-free please, persimmon story";
        var (_, ownership, _) = await LouSharesAsync(story);

        var leo = await app.As(ReviewFixture.Leo);
        Assert.Equal(HttpStatusCode.NotFound, (await leo.GetAsync($"{Discussion}?answerId={ownership}")).StatusCode);
        var posted = await leo.HtmxPostAsync(Discussion, $"/practice/exercises/{app.Spot}", ("answerId", ownership.ToString()), ("body", "Leo tries early"));
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        foreach (var url in new[] { "/practice", $"/practice/exercises/{app.Spot}", $"/practice/exercises/{app.Spot}/peaks?side=a" })
        {
            var body = await leo.GetStringAsync(url);
            Assert.DoesNotContain("persimmon", body);
            Assert.DoesNotContain($"moment-{ownership}", body);
        }
        var eve = await app.As(LearningFixture.Eve);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetAsync($"{Discussion}?answerId={ownership}")).StatusCode);
    }

    [Fact]
    public async Task AnswerOfAnotherExercise_IsRefused()
    {
        var lou = await app.As(LearningFixture.Lou);
        await lou.SubmitAsync(app.Spot, [("a", 19.0, "no-ownership")], LearningFixture.Critique);
        await lou.SubmitAsync(app.Excerpt, [("a", 8.3, "no-ownership")], LearningFixture.Critique);
        var foreign = await AnswerAsync(app.Excerpt, "no-ownership");
        foreach (var answerId in new[] { foreign, 987_654 })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await lou.GetAsync($"{Discussion}?answerId={answerId}")).StatusCode);
            var posted = await lou.HtmxPostAsync(Discussion, Discussion, ("answerId", answerId.ToString()), ("body", "Wrong moment, loquat story"));
            Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        }
        Assert.Equal(0, await app.QueryOneAsync<int>("SELECT COUNT(*) FROM Post WHERE Body LIKE '%loquat%'"));
    }

    [Fact]
    public async Task ScriptInAMomentPost_IsRenderedInert()
    {
        const string attack = "<script>alert('moment')</script><img src=x onerror=alert(1)>";
        var (lou, ownership, thread) = await LouSharesAsync(attack);
        var page = await lou.GetStringAsync(Discussion);
        foreach (var html in new[] { thread, await lou.HtmxGetStringAsync($"{Discussion}?answerId={ownership}"), page })
        {
            Assert.Contains("&lt;script&gt;alert(&#x27;moment&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;", html);
            Assert.DoesNotContain("<script>alert", html);
            Assert.DoesNotContain("<img src=x", html);
        }
    }

    [Fact]
    public async Task MomentPosts_WithoutAntiforgeryToken_AreRejected()
    {
        var (lou, ownership, thread) = await LouSharesAsync("Token check, sloe story");
        var postId = Regex.Match(thread, "id=\"post-(\\d+)\"").Groups[1].Value;
        var requests = new (string Url, string Name, string Value)[]
        {
            (Discussion, "body", "No token, sloe story"), ($"/practice/posts/{postId}/react", "reaction", "helpful"),
        };
        foreach (var (url, name, value) in requests)
        {
            var response = await lou.PostAsync(url, new FormUrlEncodedContent([new("answerId", ownership.ToString()), new(name, value)]));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode}");
        }
        Assert.Equal(1, await app.QueryOneAsync<int>("SELECT COUNT(*) FROM Post WHERE Body LIKE '%sloe story%'"));
    }

    [Fact]
    public async Task AMomentDiscussed_FreezesTheExercisesAnswer()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var id = await rita.SaveExerciseAsync(app.ExerciseFields(app.AnnotatedCall, "Discussed before any attempt", publish: true, app.North));
        var answer = await AnswerAsync(id, "no-empathy");
        var url = $"/practice/exercises/{id}/discussion";
        Assert.Equal(HttpStatusCode.OK, (await rita.HtmxPostAsync(url, url, ("answerId", answer.ToString()), ("body", "Reviewer note, rowan story"))).StatusCode);
        Assert.Contains("its answer is frozen", await rita.GetStringAsync($"/exercises/{id}"));
    }
}
