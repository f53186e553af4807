using System.Net;
using System.Text.RegularExpressions;
using CallReview.Db;
using CallReview.Transcription.Recordings;
using CallReview.Web.Features.Retention;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task ReviewPage_TranscriptEditedRedactedOrErased_ShowsItOnTheNextLoad()
    {
        // The page keeps a chunked transcript's parts in memory under the call's transcript version: every change
        // must be a new version, on the page and in a chunk loaded after it.
        var callId = await LongCallAsync();
        var rita = await app.As(ReviewFixture.Rita);
        var db = app.Services.GetRequiredService<IDbConnectionFactory>();
        Task<string> Page() => rita.GetStringAsync($"/review/{callId}");
        Task<string> Chunk() => rita.GetStringAsync($"/review/{callId}/transcript?chunk=2");
        async Task ExecAsync(string sql)
        {
            await using var connection = await db.OpenAsync();
            await connection.ExecuteAsync(sql, new { callId, now = DateTimeOffset.UtcNow });
        }
        Assert.Contains(">line 3</span>", await Page());
        Assert.Contains(">line 70</span>", await Chunk());
        Assert.DoesNotContain("data-muted", await Page());

        await ExecAsync("UPDATE Segment SET Text = Text || ' edited' WHERE CallId = @callId AND Text IN ('line 3', 'line 70')");
        Assert.Contains(">line 3 edited</span>", await Page());
        Assert.Contains(">line 70 edited</span>", await Chunk());

        await ExecAsync(
            """
            INSERT INTO Redaction (CallId, Channel, Speaker, StartMs, EndMs, Kind, RuleName, MaskedText, CreatedAt)
            VALUES (@callId, 1, 'customer', 20000, 24000, 'card-number', 'luhn', '•••• 1111', @now)
            """);
        Assert.Contains("data-muted data-start=\"20\" data-end=\"24\"", await Page());

        await using (var connection = await db.OpenAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await CallDataRemoval.EraseAsync(connection, db.Dialect, tx, app.Services.GetRequiredService<RecordingStore>(), callId, DateTimeOffset.UtcNow);
            await tx.CommitAsync();
        }
        var erased = await Page();
        Assert.Empty(Lines(erased));
        Assert.DoesNotContain("data-muted", erased);
        Assert.Contains("No transcript yet.", erased);
        Assert.Empty(Lines(await Chunk()));
    }

    private static IEnumerable<int> Lines(string html) => Line().Matches(html).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    private static IEnumerable<string> Placeholders(string html) => Placeholder().Matches(html).Select(m => m.Groups[1].Value);

    [GeneratedRegex("""<li class="turn [^>]*>.*?>line (\d+)</span></div></li>""")]
    private static partial Regex Line();

    [GeneratedRegex("""<li class="transcript-chunk[^>]*hx-get="/review/\d+/transcript\?chunk=(\d+)""", RegexOptions.Singleline)]
    private static partial Regex Placeholder();
}
