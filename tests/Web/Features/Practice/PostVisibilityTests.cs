using System.Net;
using System.Text.RegularExpressions;
using CallReview.Tests.Web.Features.Review;

namespace CallReview.Tests.Web.Features.Practice;

/// <summary>A post someone may not read (its author shares no team with them) answers 404 to every action, like a post that does not exist.</summary>
public sealed class PostVisibilityTests(LearningFixture app) : IClassFixture<LearningFixture>
{
    [Fact]
    public async Task ReactOrPin_OnAPostOfAnotherTeam_IsNotFound_AsForNoPost()
    {
        // Spot is published to East too: Eve (East) and Leo (North) both practise it, but do not see each other's posts.
        var east = await app.QueryOneAsync<int>("SELECT Id FROM Team WHERE Name = 'East'");
        await app.QueryOneAsync<int>("INSERT INTO ExerciseTeam (ExerciseId, TeamId) VALUES (@Spot, @east); SELECT 1", new { app.Spot, east });
        var discussion = $"/practice/exercises/{app.Spot}/discussion";
        var eve = await app.As(LearningFixture.Eve);
        await eve.SubmitAsync(app.Spot, [("a", 19.0, "no-ownership")], LearningFixture.Critique);
        var posted = await (await eve.HtmxPostAsync(discussion, discussion, ("body", "East's story, loquat"))).Content.ReadAsStringAsync();
        var evesPost = int.Parse(Regex.Match(posted, "id=\"post-(\\d+)\"").Groups[1].Value);

        var leo = await app.As(ReviewFixture.Leo);
        await leo.SubmitAsync(app.Spot, [("a", 19.0, "no-ownership")], LearningFixture.Critique);
        Assert.DoesNotContain("loquat", await leo.GetStringAsync(discussion));
        var react = await leo.HtmxPostAsync($"/practice/posts/{evesPost}/react", discussion, ("reaction", "helpful"));
        Assert.Equal(HttpStatusCode.NotFound, react.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await leo.HtmxPostAsync($"/practice/posts/{evesPost + 1000}/react", discussion, ("reaction", "helpful"))).StatusCode);
        Assert.Equal(0, await app.QueryOneAsync<int>("SELECT COUNT(*) FROM PostReaction WHERE PostId = @evesPost", new { evesPost }));

        var sue = await app.As(ReviewFixture.Sue);
        Assert.Equal(HttpStatusCode.NotFound, (await sue.HtmxPostAsync($"/practice/posts/{evesPost}/pin", discussion, ("x", "1"))).StatusCode);
        Assert.Equal(0, await app.QueryOneAsync<int>("SELECT IsPinned FROM Post WHERE Id = @evesPost", new { evesPost }));

        Assert.Equal(HttpStatusCode.OK, (await eve.HtmxPostAsync($"/practice/posts/{evesPost}/react", discussion, ("reaction", "helpful"))).StatusCode);
    }
}
