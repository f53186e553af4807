using CallReview.Transcription.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Review;

/// <summary>
/// The rendered transcript is cached per transcript: after a call is transcribed again (same number of turns at the
/// same times, other words) its review and call pages show the new words, never the cached old ones.
/// </summary>
public sealed class TranscriptCacheTests(ReviewFixture app) : IClassFixture<ReviewFixture>
{
    [Fact]
    public async Task Retranscription_ReviewAndCallPagesShowTheNewTranscript()
    {
        var callId = await app.InsertCallAsync("Transcribed twice", app.North, app.LeoId);
        var rita = await app.As(ReviewFixture.Rita);
        var admin = await app.AdminAsync();
        var first = await rita.GetStringAsync($"/review/{callId}");
        Assert.Contains("Thank you for calling, this is Sam", first);
        Assert.Contains("Thank you for calling, this is Sam", await admin.GetStringAsync($"/calls/{callId}"));

        var again = TestCalls.Conversation.Select((t, i) => new TranscriptTurn(t.Speaker == "agent" ? 0 : 1, t.Speaker,
            (long)(t.Start * 1000), (long)(t.End * 1000), i == 0 ? "Thanks for calling, Sam speaking, what can I do?" : t.Text, "en")).ToList();
        await app.Services.GetRequiredService<TranscriptionQueue>().RecordTranscriptAsync(callId, again, "en", "test");

        foreach (var page in new[] { await rita.GetStringAsync($"/review/{callId}"), await admin.GetStringAsync($"/calls/{callId}") })
        {
            Assert.Contains("Thanks for calling, Sam speaking, what can I do?", page);
            Assert.DoesNotContain("Thank you for calling, this is Sam", page);
        }
    }
}
