using CallReview.Db;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Review;

/// <summary>
/// The review page's head, timeline and transcript are rendered once per call as it is: a change to what they show
/// (here the title and whether the audio may be played) shows on the next view, and a page opened at a moment is
/// its own, never served to a reader who opens the call from its start.
/// </summary>
public sealed class ReviewPageHeadCacheTests(ReviewFixture app) : IClassFixture<ReviewFixture>
{
    [Fact]
    public async Task CallChangedAfterAView_NextViewShowsTheChange()
    {
        var callId = await app.InsertCallAsync("Head before", app.North, app.LeoId, withAudio: true);
        var rita = await app.As(ReviewFixture.Rita);
        var first = await rita.GetStringAsync($"/review/{callId}");
        Assert.Contains("<h1>Head before</h1>", first);
        Assert.Contains($"src=\"/calls/{callId}/audio\"", first);

        // What retention's anonymising writes (CallDataRemoval), then a new playback copy (RecordingMedia): one change at a time.
        var db = app.Services.GetRequiredService<IDbConnectionFactory>();
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("UPDATE Call SET Title = 'Head after' WHERE Id = @callId", new { callId });
        var renamed = await rita.GetStringAsync($"/review/{callId}");
        Assert.Contains("<h1>Head after</h1>", renamed);
        Assert.Contains($"src=\"/calls/{callId}/audio\"", renamed);

        await connection.ExecuteAsync("UPDATE Recording SET RedactedAt = NULL WHERE CallId = @callId", new { callId });
        var held = await rita.GetStringAsync($"/review/{callId}");
        Assert.DoesNotContain($"/calls/{callId}/audio", held);
        Assert.Contains("Audio available after transcription and redaction.", held);
    }

    [Fact]
    public async Task PageOpenedAtAMoment_IsNotServedToTheNextReader()
    {
        var callId = await app.InsertCallAsync("Opened at a moment", app.North, app.LeoId);
        var rita = await app.As(ReviewFixture.Rita);
        Assert.Contains("data-start-at=\"12.5\"", await rita.GetStringAsync($"/review/{callId}?t=12.5"));
        var fromStart = await rita.GetStringAsync($"/review/{callId}");
        Assert.DoesNotContain("data-start-at=\"12.5\"", fromStart);
        Assert.Contains("data-start-at=\"\"", fromStart);
        Assert.Contains("data-start-at=\"7\"", await rita.GetStringAsync($"/review/{callId}?t=7"));
    }
}
