using System.Data.Common;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CallReview.Db;
using CallReview.Transcription;
using CallReview.Transcription.Jobs;
using CallReview.Transcription.Redaction;
using CallReview.Transcription.Recordings;
using CallReview.Web.Features.Calls;
using Dapper;

namespace CallReview.Web.Features.Retention;

/// <summary>
/// Takes a customer's data out of one call, for retention (audio deleted, words anonymised, so annotations, scores
/// and exercises keep working) and for erasure requests (audio and transcript deleted, quotes emptied). The rows
/// change in the caller's transaction; files are deleted before it commits, so a failure leaves the call to be
/// done again rather than files nobody points at.
/// </summary>
public static partial class CallDataRemoval
{
    /// <summary>A stretch of the call's clock whose audio and words are kept (a training exercise's excerpt).</summary>
    public sealed record Span(long StartMs, long EndMs)
    {
        public bool Overlaps(long startMs, long endMs) => startMs < EndMs && endMs > StartMs;
    }

    /// <summary>What was done to one call.</summary>
    public sealed record Removed(int FilesDeleted, int TurnsChanged, int QuotesChanged, int NotesChanged = 0);

    /// <summary>A piece of free text staff or learners wrote about a call: where it is kept, and the text.</summary>
    public sealed record Note(string Source, string Text);

    /// <summary>
    /// A column of free text linked to a call (directly, through its scorecards or its exercises); <c>Limited</c>: NVARCHAR(n),
    /// not MAX; <c>Key</c>: the columns naming one row, by which it is rewritten.
    /// </summary>
    private sealed record NoteColumn(string Source, string Table, string Column, string OfCall, bool Limited = false, string Key = "Id");

    private const string ExercisesOfCall = "ExerciseId IN (SELECT Id FROM Exercise WHERE CallId = @callId OR SecondCallId = @callId)";

    /// <summary>
    /// Every column of free text linked to a call, found in the migrations (quotes and transcript turns aside, handled on
    /// their own): words written about the call may repeat the customer's.
    /// </summary>
    private static readonly NoteColumn[] NoteColumns =
    [
        new("annotation: what should have happened", "Annotation", "Expected", "CallId = @callId"),
        new("scorecard comment", "ScorecardResult", "Comment", "CallId = @callId"),
        new("scorecard note", "ScorecardAnswer", "Note", "ResultId IN (SELECT Id FROM ScorecardResult WHERE CallId = @callId)", Key: "ResultId, CriterionId"),
        new("dispute comment", "Dispute", "Comment", "CallId = @callId"),
        new("dispute resolution", "Dispute", "Resolution", "CallId = @callId"),
        new("calibration session title", "CalibrationSession", "Title", "CallId = @callId", Limited: true),
        new("exercise title", "Exercise", "Title", "(CallId = @callId OR SecondCallId = @callId)", Limited: true),
        new("exercise hints", "Exercise", "Hints", "(CallId = @callId OR SecondCallId = @callId)"),
        new("exercise model answer", "Exercise", "ModelAnswer", "(CallId = @callId OR SecondCallId = @callId)"),
        new("exercise critique keywords", "Exercise", "CritiqueKeywords", "(CallId = @callId OR SecondCallId = @callId)"),
        new("exercise answer: what should have happened", "ExerciseAnswer", "Expected", ExercisesOfCall),
        new("learner's critique", "Attempt", "Critique", ExercisesOfCall),
        new("learner's \"what I would have said\"", "Attempt", "WouldHaveSaid", ExercisesOfCall),
        new("assignment note", "Assignment", "Note", ExercisesOfCall),
        new("discussion post", "Post", "Body", ExercisesOfCall),
        // The frustration rule's detail is the phrase the customer said.
        new("signal: a phrase the customer said", "CallSignal", "Detail", "CallId = @callId"),
    ];

    /// <summary>
    /// The free text written about a call that holds the customer's words, for their preview and export: what staff and
    /// learners wrote otherwise (a model answer, a critique in their own words) is their data, not the customer's.
    /// </summary>
    public static async Task<IReadOnlyList<Note>> NotesAsync(DbConnection connection, int callId, DbTransaction? tx = null)
    {
        var words = await CustomerWordsAsync(connection, tx, callId, []);
        var notes = new List<Note>();
        foreach (var c in NoteColumns)
            notes.AddRange((await connection.QueryAsync<string>(
                $"SELECT {c.Column} FROM {c.Table} WHERE {c.OfCall} AND {c.Column} IS NOT NULL AND {c.Column} <> ''", new { callId }, tx))
                .Where(text => words.Scrub(text) != text)
                .Select(text => new Note(c.Source, text)));
        notes.AddRange((await CustomersTagsAsync(connection, tx, callId, words)).Select(tag => new Note("call tag", tag)));
        return notes;
    }

    /// <summary>The call's tags that hold the customer's words or identifiers (given at upload, they can name the customer).</summary>
    private static async Task<List<string>> CustomersTagsAsync(DbConnection connection, DbTransaction? tx, int callId, CustomerWords words) =>
        (await connection.QueryAsync<string>("SELECT Tag FROM CallTag WHERE CallId = @callId", new { callId }, tx)).Where(words.Holds).ToList();

    /// <summary>
    /// What the customer said and is known by on a call: read before its transcript is deleted or anonymised. Staff's names
    /// (every user's, the agent's as given at upload) are the writers' words, not the customer's names. The title is not: given
    /// at upload (the file's name by default) it can name the customer, and erasure replaces it for that reason.
    /// Turns in <paramref name="keep"/> (training material's excerpt) stay as they are, and so do notes quoting them.
    /// </summary>
    private static async Task<CustomerWords> CustomerWordsAsync(DbConnection connection, DbTransaction? tx, int callId, IReadOnlyList<Span> keep)
    {
        var call = await connection.QuerySingleAsync<Identity>(
            "SELECT AgentName, ExternalRef, CustomerPhone, Language FROM Call WHERE Id = @callId", new { callId }, tx);
        var said = (await connection.QueryAsync<(string Speaker, string Text, long StartMs, long EndMs)>(
            "SELECT Speaker, Text, StartMs, EndMs FROM Segment WHERE CallId = @callId", new { callId }, tx))
            .Where(s => !keep.Any(k => k.Overlaps(s.StartMs, s.EndMs))).ToList();
        var staff = await connection.QueryAsync<string>("SELECT DisplayName FROM UserAccount", transaction: tx);
        return new CustomerWords(said.Select(s => s.Text).ToList(), said.Where(s => s.Speaker != CallTranscriber.Speakers.Agent).Select(s => s.Text),
            [call.ExternalRef, call.CustomerPhone], [.. staff, call.AgentName], call.Language);
    }

    private sealed class Change
    {
        public int Id { get; init; }
        public int AnnotationId { get; init; }
        public string Snapshot { get; init; } = "";
    }

    private sealed class Answer
    {
        public int Id { get; init; }
        public long StartMs { get; init; }
        public long? EndMs { get; init; }
        public string Quote { get; init; } = "";
        public bool Training { get; init; }
    }

    private sealed class Quoted
    {
        public int Id { get; init; }
        public long StartMs { get; init; }
        public long? EndMs { get; init; }
        public string Quote { get; init; } = "";
    }

    /// <summary>
    /// Retention: deletes the original recording, and the playback copy and peaks unless a span is kept; anonymises
    /// the transcript turns, annotation quotes (and their history) and exercise answers outside the kept spans; takes the
    /// customer's words out of the notes, tags and signal details written about the call, as an erasure does; clears the
    /// call's external reference and phone number.
    /// </summary>
    public static async Task<Removed> AnonymiseAsync(DbConnection connection, SqlDialect sql, DbTransaction tx, RecordingStore store, int callId,
        IReadOnlyList<Span> keep, DateTimeOffset now)
    {
        var notes = await ScrubNotesAsync(connection, sql, tx, callId, keep);
        var turns = 0;
        var call = await connection.QuerySingleAsync<Identity>("SELECT Title, Language FROM Call WHERE Id = @callId", new { callId }, tx);
        var segments = await connection.QueryAsync<Quoted>("SELECT Id, StartMs, EndMs, Text AS Quote FROM Segment WHERE CallId = @callId", new { callId }, tx);
        foreach (var s in segments.Where(s => !Kept(keep, s)))
            turns += await connection.ExecuteAsync("UPDATE Segment SET Text = @text WHERE Id = @Id AND Text <> @text",
                new { s.Id, text = AnonymiseText(s.Quote, call.Language) }, tx);
        var quotes = await RewriteQuotesAsync(connection, tx, callId, keepTraining: true, q => Kept(keep, q) ? q.Quote : AnonymiseText(q.Quote, call.Language));
        // A masked card number still shows its first six and last four digits.
        await connection.ExecuteAsync("UPDATE Redaction SET MaskedText = '' WHERE CallId = @callId", new { callId }, tx);
        await connection.ExecuteAsync(
            "UPDATE Call SET Title = @title, ExternalRef = NULL, CustomerPhone = NULL, RetainedAt = @now WHERE Id = @callId",
            new { callId, title = AnonymiseText(call.Title, call.Language), now }, tx);
        var files = await RemoveAudioAsync(connection, tx, store, callId, keepPlayback: keep.Count > 0, now);
        return new Removed(files, turns, quotes, notes);
    }

    /// <summary>
    /// Erasure: deletes every file of the recording and every transcript turn (and with them their search index
    /// rows), empties the quotes of the call's annotations, their history and exercise answers, and clears what
    /// names the customer on the call.
    /// </summary>
    public static async Task<Removed> EraseAsync(DbConnection connection, SqlDialect sql, DbTransaction tx, RecordingStore store, int callId, DateTimeOffset now)
    {
        var notes = await ScrubNotesAsync(connection, sql, tx, callId, []);
        var turns = await connection.ExecuteAsync("DELETE FROM Segment WHERE CallId = @callId", new { callId }, tx);
        var quotes = await RewriteQuotesAsync(connection, tx, callId, keepTraining: false, _ => "");
        await connection.ExecuteAsync("DELETE FROM Redaction WHERE CallId = @callId", new { callId }, tx);
        await connection.ExecuteAsync(
            "UPDATE Call SET Title = @title, ExternalRef = NULL, CustomerPhone = NULL, ErasedAt = @now WHERE Id = @callId",
            new { callId, title = $"Erased call {callId}", now }, tx);
        var files = await RemoveAudioAsync(connection, tx, store, callId, keepPlayback: false, now);
        return new Removed(files, turns, quotes, notes);
    }

    private sealed class Identity
    {
        public string Title { get; init; } = "";
        public string? AgentName { get; init; }
        public string? ExternalRef { get; init; }
        public string? CustomerPhone { get; init; }
        public string? Language { get; init; }
    }

    /// <summary>
    /// Takes the customer's words and identifiers out of the free text written about the call (see <see cref="CustomerWords"/>);
    /// runs before the transcript it compares with is deleted or anonymised. The turns in <paramref name="keep"/> stay, so their words are not taken.
    /// </summary>
    private static async Task<int> ScrubNotesAsync(DbConnection connection, SqlDialect sql, DbTransaction tx, int callId, IReadOnlyList<Span> keep)
    {
        var words = await CustomerWordsAsync(connection, tx, callId, keep);
        var changed = 0;
        foreach (var c in NoteColumns)
        {
            // Rewritten row by row: matched by their text, SQL Server's case-insensitive collation would give "Ask Brenda"
            // and "ask brenda" one rewrite, though the customer's words may be in only one.
            var keys = c.Key.Split(", ");
            var rows = await connection.QueryAsync(
                $"SELECT {c.Key}, {c.Column} AS NoteText FROM {c.Table} WHERE {c.OfCall} AND {c.Column} IS NOT NULL AND {c.Column} <> ''", new { callId }, tx);
            foreach (IDictionary<string, object> row in rows)
            {
                var text = (string)row["NoteText"];
                var scrubbed = c.Limited ? ColumnLimits.Fit(words.Scrub(text), c.Table, c.Column) : words.Scrub(text);
                if (scrubbed == text)
                    continue;
                var parameters = new DynamicParameters(new { scrubbed });
                foreach (var key in keys)
                    parameters.Add(key, row[key]);
                changed += await connection.ExecuteAsync(
                    $"UPDATE {c.Table} SET {c.Column} = @scrubbed WHERE {string.Join(" AND ", keys.Select(k => $"{k} = @{k}"))}", parameters, tx);
            }
        }
        // A tag is a key of its own, not a note: one holding the customer's words goes, and only that one, whatever SQL
        // Server's case-insensitive collation holds equal to it.
        foreach (var tag in await CustomersTagsAsync(connection, tx, callId, words))
            changed += await connection.ExecuteAsync($"DELETE FROM CallTag WHERE CallId = @callId AND {sql.ExactlyEquals("Tag", "@tag")}", new { callId, tag }, tx);
        // The history of each annotation's expected behaviour, kept in its change snapshots.
        var history = await connection.QueryAsync<Change>(
            "SELECT c.Id, c.AnnotationId, c.Snapshot FROM AnnotationChange c JOIN Annotation a ON a.Id = c.AnnotationId WHERE a.CallId = @callId",
            new { callId }, tx);
        foreach (var change in history)
        {
            if (JsonNode.Parse(change.Snapshot) is not JsonObject json || json["expected"]?.GetValue<string>() is not { Length: > 0 } expected)
                continue;
            json["expected"] = words.Scrub(expected);
            await connection.ExecuteAsync("UPDATE AnnotationChange SET Snapshot = @snapshot WHERE Id = @Id", new { change.Id, snapshot = json.ToJsonString() }, tx);
        }
        return changed;
    }

    private static bool Kept(IReadOnlyList<Span> keep, Quoted q) => keep.Any(k => k.Overlaps(q.StartMs, q.EndMs ?? q.StartMs + 1));

    /// <summary>Rewrites the quotes of the call's annotations, of their change history and of exercise answers copied from the call.</summary>
    private static async Task<int> RewriteQuotesAsync(DbConnection connection, DbTransaction tx, int callId, bool keepTraining, Func<Quoted, string> rewrite)
    {
        var changed = 0;
        var annotations = (await connection.QueryAsync<Quoted>(
            "SELECT Id, StartMs, EndMs, Quote FROM Annotation WHERE CallId = @callId", new { callId }, tx)).ToDictionary(a => a.Id);
        foreach (var a in annotations.Values)
            changed += await connection.ExecuteAsync("UPDATE Annotation SET Quote = @quote WHERE Id = @Id AND Quote <> @quote",
                new { a.Id, quote = rewrite(a) }, tx);
        var history = await connection.QueryAsync<Change>(
            "SELECT c.Id, c.AnnotationId, c.Snapshot FROM AnnotationChange c JOIN Annotation a ON a.Id = c.AnnotationId WHERE a.CallId = @callId",
            new { callId }, tx);
        foreach (var change in history)
        {
            if (JsonNode.Parse(change.Snapshot) is not JsonObject json || json["quote"]?.GetValue<string>() is not { } quote)
                continue;
            var at = annotations[change.AnnotationId];
            json["quote"] = rewrite(new Quoted { Id = at.Id, StartMs = at.StartMs, EndMs = at.EndMs, Quote = quote });
            await connection.ExecuteAsync("UPDATE AnnotationChange SET Snapshot = @snapshot WHERE Id = @Id", new { change.Id, snapshot = json.ToJsonString() }, tx);
        }
        // Training material keeps its answers' words through retention; erasure rewrites them all.
        var answers = await connection.QueryAsync<Answer>(
            """
            SELECT x.Id, x.StartMs, x.EndMs, x.Quote, e.IsTrainingMaterial AS Training FROM ExerciseAnswer x JOIN Exercise e ON e.Id = x.ExerciseId
            WHERE (x.Side = 'a' AND e.CallId = @callId) OR (x.Side = 'b' AND e.SecondCallId = @callId)
            """, new { callId }, tx);
        foreach (var x in answers)
        {
            if (x.Training && keepTraining)
                continue;
            var quote = rewrite(new Quoted { Id = x.Id, StartMs = x.StartMs, EndMs = x.EndMs, Quote = x.Quote });
            changed += await connection.ExecuteAsync("UPDATE ExerciseAnswer SET Quote = @quote WHERE Id = @Id AND Quote <> @quote", new { x.Id, quote }, tx);
        }
        return changed;
    }

    /// <summary>
    /// Deletes the recording's files (all, or all but the playback copy and peaks), marks the row so no page offers
    /// them, and stops the call's transcription if one is under way.
    /// </summary>
    private static async Task<int> RemoveAudioAsync(DbConnection connection, DbTransaction tx, RecordingStore store, int callId, bool keepPlayback,
        DateTimeOffset now)
    {
        var files = await RecordingFiles.FindAsync(connection, callId, tx);
        if (files is null)
            return 0;
        var doomed = new List<string?> { files.OriginalPath };
        if (!keepPlayback)
            doomed.AddRange([files.PlaybackPath, files.PeaksPath]);
        var deleted = 0;
        foreach (var path in doomed.OfType<string>().Where(p => p.Length > 0).Select(store.FullPath).Where(File.Exists))
        {
            File.Delete(path);
            deleted++;
        }
        // The sha256 goes too: the same audio uploaded again is a new call, not this one found again.
        await connection.ExecuteAsync(
            $"""
            UPDATE Recording SET Sha256 = @removed, OriginalFileName = @format, OriginalPath = '', Format = @format
            {(keepPlayback ? "" : ", PlaybackPath = NULL, PeaksPath = NULL")}
            WHERE CallId = @callId
            """, new { callId, removed = $"removed:{callId}", format = RecordingFiles.RemovedFormat }, tx);
        // A transcription still queued or running would write the words back: it loses its lease and stops.
        await connection.ExecuteAsync(
            """
            UPDATE TranscriptionJob SET Status = @cancelled, FinishedAt = @now, LeaseOwner = NULL, LeaseExpiresAt = NULL
            WHERE CallId = @callId AND Status IN (@queued, @running)
            """, new { callId, cancelled = JobStatus.Cancelled, queued = JobStatus.Queued, running = JobStatus.Running, now }, tx);
        return deleted;
    }

    /// <summary>
    /// Anonymised words: e-mail addresses, every digit (and number words in English and the call's
    /// <paramref name="language"/>, as speech recognition writes spoken digits) and capitalised words inside a sentence
    /// (names of people, streets, companies) are masked; the rest of what was said stays, so a quote still shows what went wrong.
    /// </summary>
    public static string AnonymiseText(string text, string? language = null) => Name().Replace(MaskNumbersAndEmails(text, language), "[name]");

    /// <summary><see cref="AnonymiseText"/> but for names: e-mail addresses, digits and number words masked.</summary>
    public static string MaskNumbersAndEmails(string text, string? language)
    {
        text = Email().Replace(text, "[email]");
        text = Digit().Replace(text, "#");
        return Word().Replace(text, m => NumberWords.IsNumberWord(NumberWords.Normalize(m.Value), language) ? "#" : m.Value);
    }

    /// <summary>The names <see cref="AnonymiseText"/> would mask in a text.</summary>
    public static IEnumerable<string> NamesIn(string text) => Name().Matches(text).Select(m => m.Value);

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+")]
    private static partial Regex Email();

    [GeneratedRegex(@"\p{Nd}")]
    private static partial Regex Digit();

    [GeneratedRegex(@"[\p{L}\p{M}]+")]
    private static partial Regex Word();

    // A capitalised word of two letters or more that does not open a sentence ("I" and sentence starts stay).
    [GeneratedRegex(@"(?<=[^.!?\s]\s+)\p{Lu}[\p{Ll}'’-]+")]
    private static partial Regex Name();
}
