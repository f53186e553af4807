using System.Net;
using System.Text.RegularExpressions;
using CallReview.Db;
using CallReview.Tests.Transcription.Audio;
using CallReview.Tests.Web;
using CallReview.Tests.Web.Features.Audit;
using CallReview.Tests.Web.Features.Review;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Jobs;
using CallReview.Transcription.Recordings;
using CallReview.Transcription.Redaction;
using CallReview.Web.Features.Audit;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Transcription.Redaction;

/// <summary>
/// The whole redaction step on a generated stereo call in which the customer reads a card number (between other words of
/// one turn) and its security code, twice (the agent did not catch it):
/// uploaded through the API, transcribed by the real worker (whisper.cpp, trained tiny.en), then checked where a reviewer
/// would meet the digits — the stored transcript, the audio played (decoded with ffmpeg), the peaks, search and the review
/// page. The call is rendered and transcribed once for all the tests.
/// </summary>
public sealed class CallRedactionTests(CallRedactionTests.Fixture app) : IClassFixture<CallRedactionTests.Fixture>
{
    private const string CardNumber = "4539148803436467";

    /// <summary>The customer's card turn starts here, and says something else before the digits and after them.</summary>
    private const double CardTurnStart = 6.0;

    public class Fixture : TranscribingApp, IAsyncLifetime
    {
        public const string Reviewer = "rex@test.local", Password = "reviewer-pass-1";
        public int CallId { get; private set; }
        public string UploadedOriginal { get; private set; } = "";
        public List<CallRedaction.Row> Redactions { get; private set; } = [];

        /// <summary>When the digits of the card turn were said (from its rendering), and when the customer's last turn (no card data) was.</summary>
        public (double Start, double End) Digits { get; private set; }
        public (double Start, double End) Thanks { get; private set; }
        public (double Start, double End) CodeAgain { get; private set; }

        /// <summary>What a reviewer got once the playback copy and peaks were made, before the transcript and its redaction.</summary>
        public (HttpStatusCode Audio, HttpStatusCode Peaks, string Page, bool PlaybackMade) BeforeRedaction { get; private set; }

        public async Task InitializeAsync()
        {
            var admin = await AdminAsync();
            var team = await admin.CreateTeamAsync("Payments");
            await admin.CreateUserAsync(Reviewer, "Rex Reviewer", Password, ["reviewer"], team);
            var folder = Directory.CreateTempSubdirectory("card-call-").FullName;
            const string before = "Yes of course, just a moment while I find it, here it is, the long number is";
            const string digits = "four five three nine, one four eight eight, zero three four three, six four six seven";
            // Where the digits are in the card turn: where speech ends in the words before them, alone and with them.
            Digits = (CardTurnStart + await SpeechEndAsync(folder, before), CardTurnStart + await SpeechEndAsync(folder, $"{before} {digits}"));
            // Each turn a second after the one before.
            var script = new List<ScriptedStereoCall.Turn>();
            var at = 0.5;
            foreach (var (speaker, text) in new[]
            {
                ("agent", "Thank you. Can I take the long card number on the front of your card please?"),
                ("customer", $"{before} {digits}, and that is the card I always use for my shopping online."),
                ("agent", "Thank you. And the three digit security code on the back?"),
                ("customer", "Seven three seven."),
                ("agent", "Sorry, I didn't catch that."),
                ("customer", "Seven three seven."),
                ("agent", "Lovely, that has gone through."),
                ("customer", "Great, thanks for your help today."),
            })
            {
                at = script.Count == 1 ? CardTurnStart : at;
                var turn = new ScriptedStereoCall.Turn(speaker, at, text);
                script.Add(turn);
                at += await ScriptedStereoCall.SecondsAsync(folder, turn) + 1.0;
            }
            CodeAgain = (script[5].Start, script[6].Start - 1.0);
            Thanks = (script[^1].Start, at - 1.0);
            var call = await ScriptedStereoCall.RenderAsync(folder, script, at + 2);

            CallId = await UploadThroughApiAsync(Reviewer, call, "Payments");
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            UploadedOriginal = Path.Combine(DataDirectory, await connection.ExecuteScalarAsync<string>("SELECT OriginalPath FROM Recording WHERE CallId = @CallId", new { CallId }) ?? "");

            // The worker's first step, on its own: the playback copy exists and still holds the card number.
            await Services.GetRequiredService<RecordingMedia>().PrepareAsync(CallId, CancellationToken.None);
            using (var reviewer = await SignedInAsync(Reviewer, Password))
                BeforeRedaction = ((await reviewer.GetAsync($"/calls/{CallId}/audio")).StatusCode, (await reviewer.GetAsync($"/calls/{CallId}/peaks")).StatusCode,
                    WebUtility.HtmlDecode(await reviewer.GetStringAsync($"/review/{CallId}")), File.Exists((await FilesAsync()).Path));

            await Services.GetRequiredService<TranscriptionWorker>().RunAsync(stopWhenIdle: true, CancellationToken.None);

            Redactions = (await connection.QueryAsync<CallRedaction.Row>(
                "SELECT Channel, Speaker, StartMs, EndMs, Kind, RuleName, MaskedText FROM Redaction WHERE CallId = @CallId ORDER BY StartMs", new { CallId })).ToList();
        }

        public async Task<(string Path, string? Peaks, string Original)> FilesAsync()
        {
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            var row = await connection.QuerySingleAsync<(string PlaybackPath, string? PeaksPath, string OriginalPath)>(
                "SELECT PlaybackPath, PeaksPath, OriginalPath FROM Recording WHERE CallId = @CallId", new { CallId });
            return (Path.Combine(DataDirectory, row.PlaybackPath), row.PeaksPath is null ? null : Path.Combine(DataDirectory, row.PeaksPath),
                Path.Combine(DataDirectory, row.OriginalPath));
        }

        /// <summary>Where speech ends in <paramref name="text"/> as the customer's voice says it alone, in seconds from its start.</summary>
        private static async Task<double> SpeechEndAsync(string folder, string text)
        {
            var samples = await ScriptedStereoCall.SpeakAsync(folder, new("customer", 0, text), "part.wav");
            var last = samples.Span.LastIndexOfAnyExceptInRange(-0.01f, 0.01f);
            return last / (double)AudioDecoder.SampleRate;
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    /// <summary>The card number's findings: one per turn it was said in (whisper may cut the customer's line within the digits).</summary>
    private List<CallRedaction.Row> Cards => app.Redactions.Where(r => r.Kind == CardDataKinds.CardNumber).ToList();

    /// <summary>The first of them, from the card turn's first words to its digits.</summary>
    private CallRedaction.Row Card => Cards[0];

    [Fact]
    public async Task Audio_BeforeRedactionHasRun_IsServedToNobody_AndThePageSaysWhen()
    {
        var (audio, peaks, page, playbackMade) = app.BeforeRedaction;
        Assert.True(playbackMade, "the playback copy was not made before transcription");
        Assert.Equal(HttpStatusCode.Conflict, audio);
        Assert.Equal(HttpStatusCode.Conflict, peaks);
        Assert.Contains("Audio available after transcription and redaction.", page);
        Assert.DoesNotContain($"src=\"/calls/{app.CallId}/audio\"", page);

        // Once redaction has run, the muted copy is served.
        using var client = await app.SignedInAsync(Fixture.Reviewer, Fixture.Password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/calls/{app.CallId}/audio")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/calls/{app.CallId}/peaks")).StatusCode);
        var after = WebUtility.HtmlDecode(await client.GetStringAsync($"/review/{app.CallId}"));
        Assert.Contains($"src=\"/calls/{app.CallId}/audio\"", after);
        Assert.DoesNotContain("Audio available after transcription and redaction.", after);
    }

    [Fact]
    public void Redactions_CardNumberAndSecurityCode_OnTheCustomersChannelWithTheirRules()
    {
        Assert.NotEmpty(Cards);
        Assert.All(Cards, card => Assert.Equal(1, card.Channel));
        // Where the digits are in the turn, not the whole turn: the words before and after them are left to hear.
        Assert.InRange(Cards.Min(c => c.StartMs), app.Digits.Start * 1000 - 1500, app.Digits.Start * 1000);
        Assert.InRange(Cards.Max(c => c.EndMs), app.Digits.End * 1000, app.Digits.End * 1000 + 1500);
        Assert.All(Cards, card => Assert.Matches(@"^(luhn|run)-\d+ after card request$", card.RuleName));
        Assert.StartsWith("4539", Card.MaskedText);
        // The code, and the code said again after the agent's "Sorry, I didn't catch that.": the same request answered.
        var codes = app.Redactions.Where(r => r.Kind == CardDataKinds.SecurityCode).ToList();
        Assert.Equal(2, codes.Count);
        Assert.All(codes, code =>
        {
            Assert.Equal(1, code.Channel);
            Assert.Equal("run-3 after security-code request", code.RuleName);
            Assert.Equal(CardDataDetector.HiddenCode, code.MaskedText);
        });
    }

    [Fact]
    public async Task Transcript_HoldsNeitherTheHiddenDigitsNorTheCode()
    {
        using var client = await app.SignedInAsync(Fixture.Reviewer, Fixture.Password);
        var transcript = await client.GetStringAsync($"/api/calls/{app.CallId}/transcript");

        Assert.Contains("4539", transcript);
        Assert.Contains("••", transcript);
        // The lines' digits, run together (their times are digits too, and could hold "737" by chance).
        var lines = System.Text.Json.JsonDocument.Parse(transcript).RootElement.GetProperty("segments").EnumerateArray().Select(l => l.GetProperty("text").GetString());
        var digits = Regex.Replace(string.Concat(lines), @"\D", "");
        Assert.DoesNotContain("8803", digits);
        Assert.DoesNotContain("0343", digits);
        Assert.DoesNotContain("737", digits);
    }

    [Fact]
    public async Task PlaybackCopy_IsSilentInTheMutedSpansOnTheCustomersChannel_AndNotElsewhere()
    {
        var (playback, _, _) = await app.FilesAsync();
        var customer = await new AudioDecoder(new FfmpegOptions()).DecodeChannelAsync(playback, 1);
        var agent = await new AudioDecoder(new FfmpegOptions()).DecodeChannelAsync(playback, 0);

        foreach (var span in app.Redactions)
            Assert.True(Loudness.Rms(customer, span.StartMs / 1000.0 + 0.05, span.EndMs / 1000.0 - 0.05) < 1e-3, $"{span.Kind} span still audible");
        // Where the digits were said (known from the rendering, not from the findings), and the code said again: silent.
        var spans = string.Join(", ", app.Redactions.Select(r => $"{r.Kind} {r.StartMs}–{r.EndMs}"));
        Assert.True(Loudness.Rms(customer, app.Digits.Start, app.Digits.End) < 1e-3, $"the digits ({app.Digits}) are audible; muted: {spans}");
        Assert.True(Loudness.Rms(customer, app.CodeAgain.Start, app.CodeAgain.End) < 1e-3, $"the code said again ({app.CodeAgain}) is audible; muted: {spans}");
        // The words said just before and after the digits, in the same line, are not: the span is placed by the words' times
        // (where whisper's are plausible) with half a second's margin. Placed by letters, with a tenth of the line's length
        // as margin, it took "the long number is" too.
        Assert.True(Loudness.Rms(customer, app.Digits.Start - 1.0, app.Digits.Start - 0.6) > 0.01, $"the words before the digits ({app.Digits}) were muted: {spans}");
        Assert.True(Loudness.Rms(customer, app.Digits.End + 1.0, app.Digits.End + 1.6) > 0.01, $"the words after the digits ({app.Digits}) were muted: {spans}");
        Assert.True(Loudness.Rms(customer, app.Thanks.Start, app.Thanks.End) > 0.01, "the customer's last turn was muted too");
        // The card turn as transcribed, one turn from its first words to its last digits: muted only where the digits are.
        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        var turn = await connection.QuerySingleAsync<(long StartMs, long EndMs)>(
            "SELECT StartMs, EndMs FROM Segment WHERE CallId = @CallId AND Text LIKE '%4539%'", new { app.CallId });
        Assert.True(Card.StartMs - turn.StartMs >= 1500, $"the whole card turn was muted ({turn.StartMs}–{turn.EndMs} ms, muted from {Card.StartMs} ms)");
        Assert.True(Loudness.Rms(customer, turn.StartMs / 1000.0, Card.StartMs / 1000.0 - 0.05) > 0.01, "the words before the digits were muted");
        Assert.True(Loudness.Rms(agent, 0.5, 3.5) > 0.01, "the agent's request was muted");
    }

    [Fact]
    public async Task Original_IsReplacedByAMutedCopy()
    {
        var (_, _, original) = await app.FilesAsync();

        Assert.EndsWith(".redacted.flac", original);
        Assert.False(File.Exists(app.UploadedOriginal), "the unredacted upload is still in the data folder");
        var customer = await new AudioDecoder(new FfmpegOptions()).DecodeChannelAsync(original, 1);
        Assert.All(Cards, card => Assert.True(Loudness.Rms(customer, card.StartMs / 1000.0, card.EndMs / 1000.0) < 1e-4));
        Assert.True(Loudness.Rms(customer, app.Thanks.Start, app.Thanks.End) > 0.01);
    }

    [Fact]
    public async Task Peaks_AreZeroInTheMutedSpansOnTheCustomersChannelOnly()
    {
        var (_, peaksPath, _) = await app.FilesAsync();
        var peaks = await WaveformPeaks.ReadFileAsync(peaksPath!);
        int Pair(double seconds) => (int)(seconds * peaks.PeaksPerSecond);

        foreach (var span in app.Redactions)
            Assert.All(peaks.Data[1][(2 * Pair(span.StartMs / 1000.0))..(2 * Pair(span.EndMs / 1000.0))], v => Assert.Equal(0, v));
        Assert.Contains(peaks.Data[1][(2 * Pair(app.Thanks.Start))..(2 * Pair(app.Thanks.End))], v => Math.Abs((int)v) > 5);
    }

    [Theory]
    [InlineData(CardNumber)]
    [InlineData("0343")]
    [InlineData("8803")]
    [InlineData("737")]
    public async Task Search_ForTheMaskedDigits_FindsNothing(string query)
    {
        using var client = await app.SignedInAsync(Fixture.Reviewer, Fixture.Password);

        var html = await client.GetStringAsync($"/review/search?q={query}");

        Assert.Contains($"0 results for “{query}”", html);
    }

    /// <summary>
    /// The issue's "done when", as a reviewer meets the call: the number masked on the review page, the audio the page plays
    /// (fetched over HTTP) silent where the digits were, search finding nothing, and each opening and playing in an audit
    /// trail that verifies.
    /// </summary>
    [Fact]
    public async Task Reviewer_OpensPlaysAndSearchesTheCall_MaskedSilentUnfound_AndEveryAccessInTheVerifiedAuditTrail()
    {
        using var client = await app.SignedInAsync(Fixture.Reviewer, Fixture.Password);

        var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/review/{app.CallId}"));
        Assert.All(Cards, card => Assert.Contains(card.MaskedText, page));
        Assert.StartsWith("4539", Card.MaskedText);
        Assert.DoesNotContain("0343", page);
        var played = Path.Combine(Path.GetTempPath(), $"played-{Guid.NewGuid():N}.mp3");
        try
        {
            await File.WriteAllBytesAsync(played, await client.GetByteArrayAsync($"/calls/{app.CallId}/audio"));
            var customer = await new AudioDecoder(new FfmpegOptions()).DecodeChannelAsync(played, 1);
            Assert.True(Loudness.Rms(customer, app.Digits.Start, app.Digits.End) < 1e-3, "the card number is audible in the audio played");
            Assert.True(Loudness.Rms(customer, app.Thanks.Start, app.Thanks.End) > 0.01);
        }
        finally
        {
            File.Delete(played);
        }
        Assert.Contains("0 results for “8803”", await client.GetStringAsync("/review/search?q=8803"));

        var reviewer = await app.UserIdAsync(Fixture.Reviewer);
        var entries = await app.EntriesAsync();
        Assert.Contains(entries, e => e.Action == AuditActions.CallOpened && e.UserId == reviewer && e.ResourceId == app.CallId.ToString());
        Assert.Contains(entries, e => e.Action == AuditActions.AudioPlayed && e.UserId == reviewer && e.ResourceId == app.CallId.ToString());
        var (exitCode, verified) = await app.VerifyAsync();
        Assert.Equal(0, exitCode);
        Assert.True(verified.Intact, verified.Reason);
    }

    [Fact]
    public async Task ReviewPage_ShowsTheMutedSpansAndWhy()
    {
        using var client = await app.SignedInAsync(Fixture.Reviewer, Fixture.Password);

        var html = WebUtility.HtmlDecode(await client.GetStringAsync($"/review/{app.CallId}"));

        Assert.Contains($"muted: card number (rule: {Card.RuleName})", html);
        Assert.Contains("muted: security code (rule: run-3 after security-code request)", html);
        Assert.Contains($"data-start=\"{CallReview.Web.Features.Shared.Timeline.Seconds(Card.StartMs)}\"", html);
    }
}
