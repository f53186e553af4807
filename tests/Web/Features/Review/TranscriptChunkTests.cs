using System.Net;
using System.Text.RegularExpressions;

namespace CallReview.Tests.Web.Features.Review;

/// <summary>
/// The review page sends a long call's transcript in five-minute chunks: the page carries the chunk of the line it
/// opens at, a placeholder for each other chunk, and each chunk's lines come from <c>/review/{id}/transcript?chunk=n</c>.
/// </summary>
public sealed partial class TranscriptChunkTests(ReviewFixture app) : IClassFixture<ReviewFixture>
{
    /// <summary>20 minutes, "line i" every 10 s from 0 s: chunks 0–3 of 30 lines each.</summary>
    private Task<int> LongCallAsync() =>
        app.InsertCallAsync("Long call", app.North, app.LeoId, durationSeconds: 1200,
            turns: Enumerable.Range(0, 120).Select(i => new TestCalls.Turn(i % 2 == 0 ? "agent" : "customer", i * 10, i * 10 + 8, $"line {i}")).ToList());

    [Fact]
    public async Task ReviewPage_CarriesTheChunkItOpensAt_AndPlaceholdersForTheOthers()
    {
        var callId = await LongCallAsync();
        var rita = await app.As(ReviewFixture.Rita);

        var start = await rita.GetStringAsync($"/review/{callId}");
        var late = await rita.GetStringAsync($"/review/{callId}?t=1005");

        Assert.Equal(Enumerable.Range(0, 30), Lines(start));
        Assert.Equal(["1", "2", "3"], Placeholders(start));
        Assert.Equal(Enumerable.Range(90, 30), Lines(late));
        Assert.Equal(["0", "1", "2"], Placeholders(late));
    }

    [Fact]
    public async Task Chunk_AnswersItsLinesInOrder_AndNothingBeyondTheCall()
    {
        var callId = await LongCallAsync();
        var rita = await app.As(ReviewFixture.Rita);

        Assert.Equal(Enumerable.Range(60, 30), Lines(await rita.GetStringAsync($"/review/{callId}/transcript?chunk=2")));
        Assert.Empty(Lines(await rita.GetStringAsync($"/review/{callId}/transcript?chunk=4")));
        Assert.Equal(HttpStatusCode.NotFound, (await rita.GetAsync($"/review/{callId}/transcript?chunk=5")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rita.GetAsync($"/review/{callId}/transcript?chunk=-1")).StatusCode);
    }

    [Fact]
    public async Task ReviewPage_OpenedInASilence_CarriesTheChunkOfTheLineBeforeIt()
    {
        // Nothing is said from 0:20 to 6:40: at 5:50 the line playing is the one from 0:10, in the first chunk.
        var callId = await app.InsertCallAsync("Long hold", app.North, app.LeoId, durationSeconds: 600,
            turns: [new("agent", 10, 18, "line 1"), new("customer", 400, 405, "line 40")]);
        var rita = await app.As(ReviewFixture.Rita);

        var page = await rita.GetStringAsync($"/review/{callId}?t=350");

        Assert.Equal([1], Lines(page));
        Assert.Contains("data-chunk-start=\"400\"", page);
    }

    private static IEnumerable<int> Lines(string html) => Line().Matches(html).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    private static IEnumerable<string> Placeholders(string html) => Placeholder().Matches(html).Select(m => m.Groups[1].Value);

    [GeneratedRegex("""<li class="turn [^>]*>.*?>line (\d+)</span></li>""")]
    private static partial Regex Line();

    [GeneratedRegex("""<li class="transcript-chunk[^>]*hx-get="/review/\d+/transcript\?chunk=(\d+)""", RegexOptions.Singleline)]
    private static partial Regex Placeholder();
}
