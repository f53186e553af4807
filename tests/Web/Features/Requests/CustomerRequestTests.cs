using System.IO.Compression;
using System.Net;
using System.Text;
using CallReview.Db;
using CallReview.Tests.Db;
using CallReview.Tests.Web.Features.Review;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Retention;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Requests;

/// <summary>
/// A customer's access and erasure request through the admin page, on the real SQLite file and files on disk: the
/// calls found by phone number or reference are shown with what erasing would delete, exported, then erased with no
/// trace left in search (the FTS index and the database file itself), files, peaks or annotation quotes.
/// </summary>
public sealed class CustomerRequestTests
{
    private const string Word = "Zanzibarquokka";

    private static readonly TestCalls.Turn[] Turns =
    [
        new("agent", 0.5, 3.5, "Thank you for calling, how can I help?"),
        new("customer", 4.0, 9.0, $"My name is {Word} and my card was charged twice."),
        new("agent", 9.5, 12.0, "Let me look at that for you."),
    ];

    private static async Task<int> CallAsync(ReviewFixture app, string title, string reference, string phone, TestCalls.Turn[]? turns = null)
    {
        var id = await app.InsertCallAsync(title, app.North, app.LeoId, turns ?? Turns, withAudio: true);
        var original = Path.Combine("recordings", $"call-{id}.wav");
        Directory.CreateDirectory(Path.Combine(app.DataDirectory, "recordings"));
        await File.WriteAllBytesAsync(Path.Combine(app.DataDirectory, original), Encoding.UTF8.GetBytes("RIFF original audio"));
        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        await connection.ExecuteAsync("UPDATE Recording SET OriginalPath = @original WHERE CallId = @id", new { id, original });
        await connection.ExecuteAsync("UPDATE Call SET ExternalRef = @reference, CustomerPhone = @phone WHERE Id = @id", new { id, reference, phone });
        return id;
    }

    /// <summary>The <c>request.json</c> of the customer export for a reference, as the admin downloads it.</summary>
    private static async Task<string> ExportedJsonAsync(HttpClient admin, string reference)
    {
        using var zip = new ZipArchive(await (await admin.GetAsync($"/admin/requests/export.zip?Reference={reference}")).Content.ReadAsStreamAsync());
        using var reader = new StreamReader(zip.GetEntry("request.json")!.Open());
        return await reader.ReadToEndAsync();
    }

    private static string[] Files(ReviewFixture app, int id) =>
        [Path.Combine(app.DataDirectory, "recordings", $"call-{id}.wav"), Path.Combine(app.DataDirectory, "test-audio", $"call-{id}.mp3"),
         Path.Combine(app.DataDirectory, "test-audio", $"call-{id}.peaks.json")];

    [Fact]
    public async Task ErasureRequest_ByPhoneNumber_PreviewsExportsAndErasesLeavingNoTraceInSearchFilesOrPeaks()
    {
        using var app = new ReviewFixture();
        await app.InitializeAsync();
        var call = await CallAsync(app, "Double charge", "CUST-42", "393401234567");
        var other = await CallAsync(app, "Someone else", "CUST-7", "441632960000", TestCalls.Conversation[..3]);
        var rita = await app.As(ReviewFixture.Rita);
        (await rita.HtmxPostAsync($"/review/{call}/annotations", $"/review/{call}", ReviewClient.Annotation(start: "5", quote: $"My name is {Word}"))).EnsureSuccessStatusCode();
        Assert.Contains("Double charge", await rita.GetStringAsync($"/review/search?q={Word}"));
        Assert.Contains(Word, await rita.GetStringAsync($"/calls/{call}"));

        // A transcription still queued would write the words back after the erasure.
        await using (var setup = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
            await setup.ExecuteAsync(
                "INSERT INTO TranscriptionJob (CallId, Status, Language, MaxAttempts, CreatedAt) VALUES (@call, 'queued', 'en', 3, @now)",
                new { call, now = DateTimeOffset.UtcNow });

        // Found by the number as the customer says it, without the country code; the page says what erasing would delete.
        var admin = await app.AdminAsync();
        var page = $"/admin/requests?Phone={Uri.EscapeDataString("340 123-4567")}";
        var found = await admin.GetStringAsync(page);
        Assert.Contains("1 call found", found);
        Assert.Contains("Double charge", found);
        Assert.DoesNotContain("Someone else", found);
        Assert.Contains("3 files: recordings, playback copies and waveforms", found);
        Assert.Contains("3 transcript turns, and their rows in the search index", found);
        Assert.Contains("Erase 1 call", found);

        // Export: their details, transcript, annotations and recording.
        var export = await admin.GetAsync($"/admin/requests/export.zip?Reference=CUST-42");
        Assert.Equal("application/zip", export.Content.Headers.ContentType?.MediaType);
        using (var zip = new ZipArchive(await export.Content.ReadAsStreamAsync()))
        {
            using var reader = new StreamReader(zip.GetEntry("request.json")!.Open());
            var json = await reader.ReadToEndAsync();
            Assert.Contains($"My name is {Word} and my card was charged twice.", json);
            Assert.Contains("\"customerPhone\": \"393401234567\"", json);
            Assert.Contains(zip.Entries, e => e.FullName == $"recordings/call-{call}-call-{call}.wav");
            Assert.Equal(4, zip.Entries.Count);
        }

        var erased = await admin.PostFormAsync("/admin/requests/erase", [new("Phone", "340 123-4567")], page);
        Assert.Equal(HttpStatusCode.Redirect, erased.StatusCode);
        var after = await admin.GetStringAsync(erased.Headers.Location!.OriginalString);
        Assert.Contains("Erased 1 call: 3 files, 3 transcript turns, ", after);
        // Erased, the call is no longer found by the number it no longer holds.
        Assert.Contains("0 calls found", after);

        // No trace: search, the index, the database file, the files, the peaks, the quotes.
        Assert.DoesNotContain("Double charge", await rita.GetStringAsync($"/review/search?q={Word}"));
        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM SegmentFts WHERE SegmentFts MATCH '{Word}'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Segment WHERE CallId = @call", new { call }));
        Assert.All(Files(app, call), f => Assert.False(File.Exists(f), $"{f} is still there"));
        Assert.All(Files(app, other), f => Assert.True(File.Exists(f), $"{f} of another customer's call is gone"));
        Assert.Equal(HttpStatusCode.NotFound, (await rita.GetAsync($"/calls/{call}/peaks")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rita.GetAsync($"/calls/{call}/audio")).StatusCode);
        Assert.Equal("", await connection.ExecuteScalarAsync<string>("SELECT Quote FROM Annotation WHERE CallId = @call", new { call }));
        Assert.All(await connection.QueryAsync<string>("SELECT c.Snapshot FROM AnnotationChange c JOIN Annotation a ON a.Id = c.AnnotationId WHERE a.CallId = @call", new { call }),
            s => Assert.DoesNotContain(Word, s));
        var callPage = await rita.GetStringAsync($"/calls/{call}");
        Assert.DoesNotContain(Word, callPage);
        Assert.DoesNotContain(Word, await rita.GetStringAsync($"/review/{call}"));
        Assert.Equal(3, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Segment WHERE CallId = @other", new { other }));
        Assert.Equal("cancelled", await connection.ExecuteScalarAsync<string>("SELECT Status FROM TranscriptionJob WHERE CallId = @call", new { call }));
        var again = await rita.PostFormAsync($"/calls/{call}/retranscribe", [new("language", "auto")], $"/calls/{call}");
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        var databaseFile = Directory.GetFiles(app.DataDirectory, "*.db").Single();
        var bytes = await File.ReadAllBytesAsync(databaseFile);
        // Not in a freed page, an old index segment or the write-ahead log either (in any letter case: the index keeps lower case).
        Assert.DoesNotContain(Word.ToLowerInvariant(), Encoding.UTF8.GetString(bytes).ToLowerInvariant());

        // Audited, naming the calls and never the customer.
        var entries = (await connection.QueryAsync<AuditEntry>(
            "SELECT Action, ResourceId, Detail FROM AuditEntry WHERE Action IN (@exported, @erased)",
            new { exported = AuditActions.CustomerExported, erased = AuditActions.CustomerErased })).ToList();
        Assert.Single(entries, e => e.Action == AuditActions.CustomerErased && e.ResourceId == call.ToString());
        Assert.Single(entries, e => e.Action == AuditActions.CustomerExported && e.Detail == $"by reference: calls {call}");
        Assert.All(entries, e => Assert.DoesNotContain("340", e.Detail));
        Assert.All(entries, e => Assert.DoesNotContain("CUST-42", e.Detail));
    }

    [Fact]
    public async Task ErasureRequest_FreeTextWrittenAboutTheCall_IsPreviewedExportedAndLosesTheCustomersWordsOnly()
    {
        using var app = new ReviewFixture();
        await app.InitializeAsync();
        var call = await CallAsync(app, "Double charge", "CUST-42", "393401234567");
        var rita = await app.As(ReviewFixture.Rita);
        (await rita.HtmxPostAsync($"/review/{call}/annotations", $"/review/{call}",
            ReviewClient.Annotation(start: "5", quote: "", expected: "Apologise that my card was charged twice and refund it"))).EnsureSuccessStatusCode();
        var ritaId = await app.UserIdAsync(ReviewFixture.Rita);
        var now = DateTimeOffset.UtcNow;
        // Free text in every table that holds some about a call, each repeating the customer: their words verbatim, quoted,
        // their name at a sentence start, reference and phone number.
        await using (var setup = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            var db = app.Services.GetRequiredService<IDbConnectionFactory>().Dialect;
            var result = await setup.ExecuteScalarAsync<int>(db.InsertReturningId("ScorecardResult",
                "CallId, RubricVersionId, ReviewerUserId, Score, AutoFailed, Comment, CreatedAt, UpdatedAt",
                "@call, 1, @ritaId, 50, 0, 'She said \"I want it back by Friday\" and was ignored.', @now, @now"), new { call, ritaId, now });
            await setup.ExecuteAsync("INSERT INTO ScorecardAnswer (ResultId, CriterionId, Points, Note) VALUES (@result, 1, 2, @note)",
                new { result, note = $"{Word} had to repeat herself." });
            await setup.ExecuteAsync(
                "INSERT INTO Dispute (CallId, AgentUserId, Comment, Status, Resolution, CreatedAt) VALUES (@call, @LeoId, @comment, 'resolved', @resolution, @now)",
                new { call, app.LeoId, comment = "The customer said my card was charged twice, I could not see it.", resolution = "Call CUST-42 back on +39 340 123 4567.", now });
            await setup.ExecuteAsync("INSERT INTO CalibrationSession (CallId, Title, CreatedByUserId, CreatedAt) VALUES (@call, 'Calibrate: Double charge', @ritaId, @now)",
                new { call, ritaId, now });
            var exercise = await setup.ExecuteScalarAsync<int>(db.InsertReturningId("Exercise",
                "Title, Kind, CallId, FullCreditMs, ZeroCreditMs, Difficulty, Hints, ModelAnswer, Status, CreatedByUserId, CreatedAt, UpdatedAt",
                "'Spot it: Double charge', 'spot', @call, 3000, 10000, 2, @hints, 'Say sorry.', 'published', @ritaId, @now, @now"),
                new { call, ritaId, now, hints = $"Listen to {Word}." });
            await setup.ExecuteAsync(
                """
                INSERT INTO Attempt (ExerciseId, UserId, Critique, WouldHaveSaid, TimingScore, CategoryScore, CritiqueScore, ExtraPins, Score, Points, SubmittedAt)
                VALUES (@exercise, @LeoId, 'The agent ignored that my card was charged twice.', @said, 1, 1, 1, 0, 1, 10, @now)
                """, new { exercise, app.LeoId, said = $"Sorry {Word}, I will refund it.", now });
            await setup.ExecuteAsync("INSERT INTO Post (ExerciseId, UserId, Body, CreatedAt) VALUES (@exercise, @LeoId, @body, @now)",
                new { exercise, app.LeoId, body = $"{Word} was right to be angry, CUST-42 is still open.", now });
            await setup.ExecuteAsync("INSERT INTO Assignment (ExerciseId, UserId, AssignedByUserId, DueAt, Note, CreatedAt) VALUES (@exercise, @LeoId, @ritaId, @now, @note, @now)",
                new { exercise, app.LeoId, ritaId, now, note = "Mind how she says \u201cI want it back by Friday\u201d." });
            // Tags given at upload (one naming the customer) and the frustration rule's detail: the phrase the customer said.
            await setup.ExecuteAsync("INSERT INTO CallTag (CallId, Tag) VALUES (@call, 'billing'), (@call, @tag)", new { call, tag = $"vip-{Word.ToLowerInvariant()}" });
            await setup.ExecuteAsync(
                """
                INSERT INTO CallSignal (CallId, RuleCode, StartMs, EndMs, Value, Threshold, Speaker, Detail, Status, CreatedAt)
                VALUES (@call, 'frustration', 4000, 9000, 1, 1, 'customer', 'card was charged twice', 'suggested', @now)
                """, new { call, now });
        }

        var admin = await app.AdminAsync();
        var page = "/admin/requests?Reference=CUST-42";
        var found = WebUtility.HtmlDecode(await admin.GetStringAsync(page));
        // Eleven notes, the tag naming the customer and the signal's detail; not the titles the reviewer gave ("Double charge").
        Assert.Contains("in 12 notes written about the calls by staff and learners", found);
        {
            var json = await ExportedJsonAsync(admin, "CUST-42");
            Assert.Contains("\"source\": \"discussion post\"", json);
            Assert.Contains($"{Word} was right to be angry, CUST-42 is still open.", json);
            Assert.Contains("\"source\": \"dispute resolution\"", json);
            Assert.Contains("\"source\": \"call tag\"", json);
            Assert.Contains($"vip-{Word.ToLowerInvariant()}", json);
            Assert.Contains("\"source\": \"signal: a phrase the customer said\"", json);
            // What the writers wrote in their own words only (the model answer, a title, a tag) is not the customer's to take.
            Assert.DoesNotContain("Say sorry.", json);
            Assert.DoesNotContain("Spot it: Double charge", json);
            Assert.DoesNotContain("billing", json);
        }

        var erased = await admin.PostFormAsync("/admin/requests/erase", [new("Reference", "CUST-42")], page);
        Assert.Equal(HttpStatusCode.Redirect, erased.StatusCode);
        Assert.Contains("quotes and 12 notes.", await admin.GetStringAsync(erased.Headers.Location!.OriginalString));

        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        // The writers' own words stay.
        Assert.Equal("[…] was right to be angry, […] is still open.", await connection.ExecuteScalarAsync<string>("SELECT Body FROM Post"));
        Assert.Equal("The customer said […], I could not see it.", await connection.ExecuteScalarAsync<string>("SELECT Comment FROM Dispute"));
        Assert.Equal("Call […] back on +## ### ### ####.", await connection.ExecuteScalarAsync<string>("SELECT Resolution FROM Dispute"));
        Assert.Equal("She said […] and was ignored.", await connection.ExecuteScalarAsync<string>("SELECT Comment FROM ScorecardResult"));
        Assert.Equal("Apologise that […] and refund it", await connection.ExecuteScalarAsync<string>("SELECT Expected FROM Annotation"));
        Assert.Equal("Calibrate: Double charge", await connection.ExecuteScalarAsync<string>("SELECT Title FROM CalibrationSession"));
        Assert.Equal(["billing"], await connection.QueryAsync<string>("SELECT Tag FROM CallTag WHERE CallId = @call", new { call }));
        // On SQL Server the tag is deleted by its value compared letter for letter, not under the case-insensitive default collation.
        var deleteTag = SqlServerSyntax.Parse(SqlServerCheckedConnections.Checked.Single(s => s.Key.StartsWith("DELETE FROM CallTag") && s.Value.Contains(nameof(CallDataRemoval))).Key);
        Assert.Equal("Latin1_General_100_BIN2", Assert.Single(SqlServerSyntax.All<ColumnReferenceExpression>(deleteTag), c => c.MultiPartIdentifier.Identifiers[^1].Value == "Tag").Collation?.Value);
        Assert.Equal("[…]", await connection.ExecuteScalarAsync<string>("SELECT Detail FROM CallSignal WHERE CallId = @call", new { call }));
        await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        var bytes = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Directory.GetFiles(app.DataDirectory, "*.db").Single())).ToLowerInvariant();
        foreach (var trace in new[] { Word, "charged twice", "back by friday", "cust-42", "1234567" })
            Assert.DoesNotContain(trace.ToLowerInvariant(), bytes);
    }

    [Fact]
    public async Task Erase_ANameOnlyTheAgentSaid_EvenAnEverydayWord_IsPreviewedExportedAndErasedAlike_StaffNamesStay_TheTitleSparesNoName()
    {
        using var app = new ReviewFixture();
        await app.InitializeAsync();
        // The customer never says their name; the agent does, and it is also a word the agent uses ("the bill"). Leo (the
        // agent) and Rita (a reviewer) are staff; the title, given at upload, names the customer too and spares no name.
        TestCalls.Turn[] turns =
        [
            new("agent", 0.5, 3.5, "Thank you for calling, you are through to Leo. Who am I speaking to?"),
            new("customer", 4.0, 9.0, "Hello, it's about my card, it was charged twice."),
            new("agent", 9.5, 14.0, "Thanks, Bill. I can see the bill from March, let me ask Rita on the gold team."),
        ];
        var call = await CallAsync(app, "Bill refund", "CUST-42", "393401234567", turns);
        var rita = await app.As(ReviewFixture.Rita);
        (await rita.HtmxPostAsync($"/review/{call}/annotations", $"/review/{call}",
            ReviewClient.Annotation(start: "10", quote: "", expected: "Apologise to Bill and have Rita call back"))).EnsureSuccessStatusCode();
        await using (var setup = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            await setup.ExecuteAsync(
                "INSERT INTO Dispute (CallId, AgentUserId, Comment, Status, CreatedAt) VALUES (@call, @LeoId, 'Leo did tell Bill about the Gold refund.', 'open', @now)",
                new { call, app.LeoId, now = DateTimeOffset.UtcNow });
            await setup.ExecuteAsync("INSERT INTO CallTag (CallId, Tag) VALUES (@call, 'bill-callback'), (@call, 'gold')", new { call });
        }

        // What the page counts and the export holds is what the erasure rewrites: the same notes.
        var admin = await app.AdminAsync();
        var page = "/admin/requests?Reference=CUST-42";
        Assert.Contains("in 3 notes written about the calls by staff and learners", WebUtility.HtmlDecode(await admin.GetStringAsync(page)));
        var json = await ExportedJsonAsync(admin, "CUST-42");
        Assert.Contains("Apologise to Bill and have Rita call back", json);
        Assert.Contains("Leo did tell Bill about the Gold refund.", json);
        Assert.Contains("\"text\": \"bill-callback\"", json);
        Assert.DoesNotContain("\"text\": \"gold\"", json);
        var erased = await admin.PostFormAsync("/admin/requests/erase", [new("Reference", "CUST-42")], page);
        Assert.Equal(HttpStatusCode.Redirect, erased.StatusCode);
        Assert.Contains("quotes and 3 notes.", await admin.GetStringAsync(erased.Headers.Location!.OriginalString));

        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        Assert.Equal("Apologise to […] and have Rita call back", await connection.ExecuteScalarAsync<string>("SELECT Expected FROM Annotation WHERE CallId = @call", new { call }));
        Assert.Equal("Leo did tell […] about the Gold refund.", await connection.ExecuteScalarAsync<string>("SELECT Comment FROM Dispute WHERE CallId = @call", new { call }));
        Assert.Equal(["gold"], await connection.QueryAsync<string>("SELECT Tag FROM CallTag WHERE CallId = @call", new { call }));
    }

    [Fact]
    public async Task Erase_NotesDifferingOnlyInLetterCase_EachRewrittenFromItsOwnText()
    {
        using var app = new ReviewFixture();
        await app.InitializeAsync();
        var call = await CallAsync(app, "Double charge", "CUST-42", "393401234567");
        await using (var setup = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            // The scorecard notes compared as SQL Server's default collation compares them: whatever the letter case.
            await setup.ExecuteAsync(
                """
                CREATE TABLE ScorecardAnswerCi (ResultId INTEGER NOT NULL REFERENCES ScorecardResult (Id) ON DELETE CASCADE,
                    CriterionId INTEGER NOT NULL REFERENCES RubricCriterion (Id), Points INTEGER NULL, Note TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
                    CitedAnnotationIds TEXT NOT NULL DEFAULT '', PRIMARY KEY (ResultId, CriterionId));
                DROP TABLE ScorecardAnswer;
                ALTER TABLE ScorecardAnswerCi RENAME TO ScorecardAnswer;
                """);
            var result = await setup.ExecuteScalarAsync<int>(app.Services.GetRequiredService<IDbConnectionFactory>().Dialect.InsertReturningId("ScorecardResult",
                "CallId, RubricVersionId, ReviewerUserId, Score, AutoFailed, CreatedAt, UpdatedAt", "@call, 1, @rita, 50, 0, @now, @now"),
                new { call, rita = await app.UserIdAsync(ReviewFixture.Rita), now = DateTimeOffset.UtcNow });
            var criteria = (await setup.QueryAsync<int>("SELECT Id FROM RubricCriterion ORDER BY Id LIMIT 2")).ToList();
            await setup.ExecuteAsync("INSERT INTO ScorecardAnswer (ResultId, CriterionId, Points, Note) VALUES (@result, @CriterionId, 1, @Note)", new[]
            {
                new { result, CriterionId = criteria[0], Note = $"{Word} had to repeat herself." },
                new { result, CriterionId = criteria[1], Note = $"{Word.ToUpperInvariant()} HAD TO REPEAT HERSELF." },
            });
        }

        var admin = await app.AdminAsync();
        var erased = await admin.PostFormAsync("/admin/requests/erase", [new("Reference", "CUST-42")], "/admin/requests?Reference=CUST-42");
        Assert.Equal(HttpStatusCode.Redirect, erased.StatusCode);

        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        Assert.Equal(["[…] had to repeat herself.", "[…] HAD TO REPEAT HERSELF."],
            await connection.QueryAsync<string>("SELECT Note FROM ScorecardAnswer ORDER BY CriterionId"));
    }

    [Fact]
    public async Task Erase_WithoutAntiforgeryToken_IsRefusedAndNothingIsErased()
    {
        using var app = new ReviewFixture();
        await app.InitializeAsync();
        var call = await CallAsync(app, "Kept call", "CUST-9", "15550001");
        var admin = await app.AdminAsync();

        var response = await admin.PostAsync("/admin/requests/erase", new FormUrlEncodedContent([new("Reference", "CUST-9")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.All(Files(app, call), f => Assert.True(File.Exists(f)));
        Assert.Contains("Erase 1 call", await admin.GetStringAsync("/admin/requests?Reference=CUST-9"));
    }
}
