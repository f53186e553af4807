using System.Net;
using CallReview.Db;
using CallReview.Transcription.Audio;
using CallReview.Tests.Transcription.Audio;
using CallReview.Tests.Web.Features.Audit;
using CallReview.Tests.Web.Features.Practice;
using CallReview.Tests.Web.Features.Review;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Retention;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Retention;

/// <summary>
/// Retention on a clock the test moves, through the admin pages and the worker's run, on the real SQLite file and
/// files on disk: nothing happens before a period is previewed and confirmed, or before a call is older than it;
/// after, the call's audio is gone and its words anonymised, while reviews and training material keep working.
/// </summary>
public sealed class RetentionTests
{
    public sealed class App : ReviewFixture
    {
        public ManualClock Clock { get; } = new(new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddHours(9));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            // The fixture's own two calls stay out of these tests: they take place a year after the clock starts.
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            await connection.ExecuteAsync("UPDATE Call SET StartedAt = @later WHERE Id IN (@NorthCall, @SouthCall)",
                new { later = Clock.Now.AddYears(1), NorthCall, SouthCall });
        }

        public async Task<T> SqlAsync<T>(string sql, object? args = null)
        {
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            return await connection.ExecuteScalarAsync<T>(sql, args) ?? default!;
        }

        public async Task<List<string>> TextsAsync(string sql, object? args = null)
        {
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            return (await connection.QueryAsync<string>(sql, args)).ToList();
        }

        /// <summary>A call of its own with an original recording on disk (as an upload leaves it), started now on the test's clock.</summary>
        public async Task<int> CallWithFilesAsync(string title, int teamId, TestCalls.Turn[]? turns = null)
        {
            var id = await this.InsertCallAsync(title, teamId, LeoId, turns, withAudio: true);
            var original = Path.Combine("recordings", $"call-{id}.wav");
            Directory.CreateDirectory(Path.Combine(DataDirectory, "recordings"));
            await File.WriteAllBytesAsync(Path.Combine(DataDirectory, original), new byte[4096]);
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            await connection.ExecuteAsync("UPDATE Recording SET OriginalPath = @original WHERE CallId = @id", new { id, original });
            await connection.ExecuteAsync("UPDATE Call SET StartedAt = @now WHERE Id = @id", new { id, now = Clock.Now });
            return id;
        }

        public async Task<string[]> FilesAsync(int callId)
        {
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            var row = await connection.QuerySingleAsync<(string Original, string? Playback, string? Peaks)>(
                "SELECT OriginalPath, PlaybackPath, PeaksPath FROM Recording WHERE CallId = @callId", new { callId });
            return new[] { row.Original, row.Playback, row.Peaks }.OfType<string>().Where(p => p.Length > 0)
                .Select(p => Path.Combine(DataDirectory, p)).Where(File.Exists).ToArray();
        }
    }

    private const string Quote = "Call me on 0712 345 678, this is Maria Rossi";

    [Fact]
    public async Task Retention_BeforeAndAfterThePeriodOnAManualClock_KeepsThenAnonymises_TrainingExcerptStays()
    {
        using var app = new App();
        await app.InitializeAsync();
        var south = await app.SqlAsync<int>("SELECT Id FROM Team WHERE Name = 'South'");
        var old = await app.CallWithFilesAsync("Old call", app.North);
        var training = await app.CallWithFilesAsync("Training call", app.North);
        var southCall = await app.CallWithFilesAsync("South call kept", south);
        var rita = await app.As(ReviewFixture.Rita);
        (await rita.HtmxPostAsync($"/review/{old}/annotations", $"/review/{old}", ReviewClient.Annotation(start: "5", quote: Quote))).EnsureSuccessStatusCode();
        var answer = await app.InsertAnnotationAsync(training, await app.UserIdAsync(ReviewFixture.Rita), "unmet", 13_000, null, "no-empathy",
            "I have been waiting for a refund for a month.", "Acknowledge the wait");
        var exercise = await rita.SaveExerciseAsync(
        [
            new("Kind", "spot"), new("CallId", training.ToString()), new("Title", "Spot it"), new("AnswerIds", answer.ToString()),
            new("ExcerptStart", "10"), new("ExcerptEnd", "20"), new("ShowTranscript", "true"), new("FullCreditSeconds", "4"),
            new("ZeroCreditSeconds", "15"), new("Difficulty", "1"), new("CritiqueMinChars", "0"), new("Publish", "true"),
            new("TeamIds", app.North.ToString()), new("IsTrainingMaterial", "true"),
        ]);

        // Day 0: North keeps calls 30 days (previewed: nothing is that old yet, then confirmed); South's 30 days are never confirmed.
        var admin = await app.AdminAsync();
        var set = await admin.PostFormAsync($"/admin/retention/{app.North}", [new("Days", "30")], "/admin/retention");
        Assert.Equal($"/admin/retention/{app.North}/preview", set.Headers.Location?.OriginalString);
        Assert.Contains("No call is older than 30 days today", await admin.GetStringAsync($"/admin/retention/{app.North}/preview"));
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync($"/admin/retention/{app.North}/confirm", [new("Days", "30")], $"/admin/retention/{app.North}/preview")).StatusCode);
        await admin.PostFormAsync($"/admin/retention/{south}", [new("Days", "30")], "/admin/retention");
        var southPreview = await admin.GetStringAsync($"/admin/retention/{south}/preview");
        Assert.Contains("Nothing happens until you confirm", southPreview);

        // Day 29: before the period, everything is kept.
        app.Clock.Advance(TimeSpan.FromDays(29));
        var before = await app.RunRetentionAsync();
        Assert.Equal(0, before.CallsAnonymised);
        Assert.Equal(3, (await app.FilesAsync(old)).Length);
        Assert.Equal(Quote, await app.SqlAsync<string>("SELECT Quote FROM Annotation WHERE CallId = @old", new { old }));

        // A call made on day 29 is inside the period on day 31.
        var recent = await app.CallWithFilesAsync("Recent call", app.North);
        app.Clock.Advance(TimeSpan.FromDays(2));
        var after = await app.RunRetentionAsync();

        Assert.Equal(2, after.CallsAnonymised);
        // The old call: every file gone, no page offers audio, the words anonymised, the review still there.
        Assert.Empty(await app.FilesAsync(old));
        Assert.Equal(3 + 1, after.FilesDeleted);
        var reviewer = await app.SignedInAsync(ReviewFixture.Rita, ReviewFixture.Password);
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.GetAsync($"/calls/{old}/audio")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.GetAsync($"/calls/{old}/peaks")).StatusCode);
        var texts = await app.TextsAsync("SELECT Text FROM Segment WHERE CallId = @old ORDER BY Seq", new { old });
        Assert.Equal(TestCalls.Conversation.Length, texts.Count);
        Assert.Equal("Thank you for calling, this is [name], how can I help?", texts[0]);
        Assert.Equal("My invoice is wrong again and nobody called me back last week.", texts[1]);
        var quote = await app.SqlAsync<string>("SELECT Quote FROM Annotation WHERE CallId = @old", new { old });
        Assert.Equal("Call me on #### ### ###, this is [name] [name]", quote);
        Assert.All(await app.TextsAsync("SELECT c.Snapshot FROM AnnotationChange c JOIN Annotation a ON a.Id = c.AnnotationId WHERE a.CallId = @old", new { old }),
            snapshot => Assert.DoesNotContain("Maria", snapshot));
        var review = await reviewer.GetStringAsync($"/review/{old}");
        Assert.Contains("[name] [name]", review);
        Assert.Contains("recording deleted, transcript anonymised", await reviewer.GetStringAsync($"/calls/{old}"));

        // The training call: its original is gone, but the excerpt's audio and words stay for the exercise.
        var kept = await app.FilesAsync(training);
        Assert.Equal(2, kept.Length);
        Assert.DoesNotContain(kept, f => f.Contains("recordings"));
        var trainingTexts = await app.TextsAsync("SELECT Text FROM Segment WHERE CallId = @training ORDER BY Seq", new { training });
        Assert.Equal("Thank you for calling, this is [name], how can I help?", trainingTexts[0]);
        Assert.Equal(TestCalls.Conversation[3].Text, trainingTexts[3]);
        Assert.Equal("I have been waiting for a refund for a month.",
            await app.SqlAsync<string>("SELECT Quote FROM ExerciseAnswer WHERE ExerciseId = @exercise", new { exercise }));
        // ... and only the excerpt's: the rest of the playback copy is silent and its peaks are zero.
        var playback = kept.Single(f => f.EndsWith(".mp3"));
        var audio = await new AudioDecoder(new FfmpegOptions()).DecodeChannelAsync(playback, 0);
        Assert.True(Loudness.Rms(audio, 1, 9) < 1e-3, "audio before the excerpt is still audible");
        Assert.True(Loudness.Rms(audio, 21, 29) < 1e-3, "audio after the excerpt is still audible");
        Assert.True(Loudness.Rms(audio, 11, 19) > 0.01, "the excerpt was muted");
        var peaks = await WaveformPeaks.ReadFileAsync(kept.Single(f => f.EndsWith(".peaks.json")));
        Assert.All(peaks.Data[0][..(2 * 9 * peaks.PeaksPerSecond)], v => Assert.Equal(0, v));
        Assert.Contains(peaks.Data[0][(2 * 11 * peaks.PeaksPerSecond)..(2 * 19 * peaks.PeaksPerSecond)], v => v != 0);
        var learner = await app.SignedInAsync(ReviewFixture.Leo, ReviewFixture.Password);
        Assert.Equal(HttpStatusCode.OK, (await learner.GetAsync($"/practice/exercises/{exercise}/audio?side=a")).StatusCode);

        // Inside the period, and a team whose period was never confirmed: untouched.
        Assert.Equal(3, (await app.FilesAsync(recent)).Length);
        Assert.Equal(3, (await app.FilesAsync(southCall)).Length);
        Assert.Contains("this is Sam", await app.SqlAsync<string>("SELECT Text FROM Segment WHERE CallId = @southCall AND Seq = 0", new { southCall }));

        // Logged and audited; a second run finds nothing left to do.
        Assert.Equal(2, await app.SqlAsync<int>("SELECT COUNT(*) FROM RetentionRun WHERE FinishedAt IS NOT NULL AND Error IS NULL"));
        var applied = await app.TextsAsync("SELECT ResourceId FROM AuditEntry WHERE Action = @a ORDER BY Id", new { a = AuditActions.RetentionApplied });
        Assert.Equal([old.ToString(), training.ToString()], applied);
        Assert.Equal(2, await app.SqlAsync<int>("SELECT COUNT(*) FROM AuditEntry WHERE Action = @a", new { a = AuditActions.RetentionRun }));
        Assert.Single(await app.TextsAsync("SELECT Detail FROM AuditEntry WHERE Action = @a", new { a = AuditActions.RetentionConfirmed }));
        Assert.Equal(0, (await app.RunRetentionAsync()).CallsAnonymised);
        Assert.True((await app.VerifyAsync()).Result.Intact);
    }


    [Fact]
    public async Task Retention_AfterThePeriodOnAManualClock_TakesTheCustomersWordsOutOfNotesTagsAndSignalDetails()
    {
        using var app = new App();
        await app.InitializeAsync();
        // The customer's name said only by the agent, their words and reference: in an annotation's note, a tag and the
        // frustration rule's detail, as an erasure finds them.
        var call = await app.CallWithFilesAsync("Double charge", app.North,
        [
            new("agent", 0.5, 3.5, "Thank you for calling, this is Leo. Who am I speaking to?"),
            new("customer", 4.0, 9.0, "Hello, my card was charged twice."),
            new("agent", 9.5, 12.0, "Thanks, Brenda, let me look at that for you."),
        ]);
        await using (var setup = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            await setup.ExecuteAsync("UPDATE Call SET ExternalRef = 'CUST-42' WHERE Id = @call", new { call });
            await setup.ExecuteAsync("INSERT INTO CallTag (CallId, Tag) VALUES (@call, 'billing'), (@call, 'vip-brenda')", new { call });
            await setup.ExecuteAsync(
                """
                INSERT INTO CallSignal (CallId, RuleCode, StartMs, EndMs, Value, Threshold, Speaker, Detail, Status, CreatedAt)
                VALUES (@call, 'frustration', 4000, 9000, 1, 1, 'customer', 'card was charged twice', 'suggested', @now)
                """, new { call, now = app.Clock.Now });
        }
        var rita = await app.As(ReviewFixture.Rita);
        (await rita.HtmxPostAsync($"/review/{call}/annotations", $"/review/{call}",
            ReviewClient.Annotation(start: "5", quote: "", expected: "Apologise to Brenda that my card was charged twice, see CUST-42"))).EnsureSuccessStatusCode();
        var admin = await app.AdminAsync();
        await admin.PostFormAsync($"/admin/retention/{app.North}", [new("Days", "30")], "/admin/retention");
        await admin.PostFormAsync($"/admin/retention/{app.North}/confirm", [new("Days", "30")], $"/admin/retention/{app.North}/preview");

        app.Clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, (await app.RunRetentionAsync()).CallsAnonymised);
        Assert.Equal("Apologise to Brenda that my card was charged twice, see CUST-42",
            await app.SqlAsync<string>("SELECT Expected FROM Annotation WHERE CallId = @call", new { call }));

        app.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await app.RunRetentionAsync()).CallsAnonymised);

        Assert.Equal("Apologise to […] that […], see […]", await app.SqlAsync<string>("SELECT Expected FROM Annotation WHERE CallId = @call", new { call }));
        Assert.All(await app.TextsAsync("SELECT c.Snapshot FROM AnnotationChange c JOIN Annotation a ON a.Id = c.AnnotationId WHERE a.CallId = @call", new { call }),
            snapshot => Assert.DoesNotContain("Brenda", snapshot));
        Assert.Equal(["billing"], await app.TextsAsync("SELECT Tag FROM CallTag WHERE CallId = @call", new { call }));
        Assert.Equal("[…]", await app.SqlAsync<string>("SELECT Detail FROM CallSignal WHERE CallId = @call", new { call }));
        Assert.Contains("3 notes rewritten", await app.SqlAsync<string>("SELECT Detail FROM AuditEntry WHERE Action = @a AND ResourceId = @id",
            new { a = AuditActions.RetentionApplied, id = call.ToString() }));
    }

    [Fact]
    public async Task Schedule_InTheAppWithItsWorker_RunsAtStartAndLogsTheRun()
    {
        using var app = new CallReviewApp();
        app.Settings["CallReview:Worker:Enabled"] = "true";
        using (app.CreateClient()) { }

        var runs = 0;
        for (var wait = 0; wait < 300 && runs == 0; wait++, await Task.Delay(100))
        {
            await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
            runs = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM RetentionRun WHERE FinishedAt IS NOT NULL");
        }

        Assert.Equal(1, runs);
        Assert.Contains(await app.EntriesAsync(), e => e.Action == AuditActions.RetentionRun && e.Actor == "system");
    }

    [Fact]
    public async Task Preview_ListsTheCallsItWouldReachAndWhatHappens_AndAChangedPeriodIsNotConfirmedUnseen()
    {
        using var app = new App();
        await app.InitializeAsync();
        var old = await app.CallWithFilesAsync("Old enough", app.North);
        app.Clock.Advance(TimeSpan.FromDays(10));
        var admin = await app.AdminAsync();
        await admin.PostFormAsync($"/admin/retention/{app.North}", [new("Days", "7")], "/admin/retention");

        var preview = await admin.GetStringAsync($"/admin/retention/{app.North}/preview");
        Assert.Contains("Old enough", preview);
        Assert.Contains($"href=\"/calls/{old}\"", preview);
        Assert.Contains("7 turns anonymised", preview);
        // Retention rewrites more than the transcript: the preview says so.
        Assert.Contains("and signal details are rewritten too", preview);
        Assert.Contains("Not applied yet", await admin.GetStringAsync("/admin/retention"));

        // The period changed after that preview was shown: confirming the old number confirms nothing.
        await admin.PostFormAsync($"/admin/retention/{app.North}", [new("Days", "5")], "/admin/retention");
        var stale = await admin.PostFormAsync($"/admin/retention/{app.North}/confirm", [new("Days", "7")], $"/admin/retention/{app.North}/preview");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("The period changed since this preview was shown", await stale.Content.ReadAsStringAsync());
        Assert.Equal(0, (await app.RunRetentionAsync()).CallsAnonymised);

        // Without a token the confirmation is refused.
        var token = await admin.PostAsync($"/admin/retention/{app.North}/confirm", new FormUrlEncodedContent([new("Days", "5")]));
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
    }
}
