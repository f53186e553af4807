using System.ComponentModel.DataAnnotations;
using System.IO.Compression;
using System.Text.Json;
using CallReview.Db;
using CallReview.Transcription.Recordings;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Retention;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Mvc.TagHelpers;
using Microsoft.Extensions.Caching.Memory;

namespace CallReview.Web.Features.Requests;

/// <summary>
/// A customer's access or erasure request: every call with their reference or phone number, with its transcript,
/// annotations and the free text written about it, shown first; then exported (a zip of JSON and the recordings) or
/// erased (files, peaks, transcript and its search rows, annotation quotes, the customer's words and identifiers in the
/// free text), each with an audit entry that names the calls, never the customer.
/// </summary>
public static class CustomerRequest
{
    /// <summary>A phone number as stored and matched: its digits only (none: null).</summary>
    public static string? PhoneDigits(string? phone)
    {
        var digits = new string((phone ?? "").Where(char.IsAsciiDigit).ToArray());
        return digits.Length == 0 ? null : digits;
    }

    public sealed class Query
    {
        [FitsColumn("Call", "ExternalRef"), Display(Name = "Customer reference")]
        public string? Reference { get; set; }

        [MaxLength(40), Display(Name = "Phone number")]
        public string? Phone { get; set; }

        public bool IsEmpty => string.IsNullOrWhiteSpace(Reference) && PhoneDigits(Phone) is null;

        /// <summary>How the calls were found, for the audit trail: never the reference or number itself.</summary>
        public string Describe() => string.Join(" and ", new[] { string.IsNullOrWhiteSpace(Reference) ? null : "reference", PhoneDigits(Phone) is null ? null : "phone number" }.OfType<string>());
    }

    public sealed class Found
    {
        public int Id { get; init; }
        public string Title { get; init; } = "";
        public string? Team { get; init; }
        public string? Agent { get; init; }
        public DateTimeOffset CallAt { get; init; }
        public string? ExternalRef { get; init; }
        public string? CustomerPhone { get; init; }
        public long DurationMs { get; init; }
        public int Turns { get; init; }
        public int Annotations { get; init; }
        public int Exercises { get; init; }
        public int Files { get; set; }

        /// <summary>Pieces of free text staff and learners wrote about the call (comments, disputes, posts, critiques…).</summary>
        public int Notes { get; set; }
        public DateTimeOffset? RetainedAt { get; init; }
        public DateTimeOffset? ErasedAt { get; init; }
    }

    public sealed record Model(Query Query, IReadOnlyList<Found> Calls, bool Searched)
    {
        public IEnumerable<Found> Erasable => Calls.Where(c => c.ErasedAt is null);
    }

    public sealed record Erased(int Calls, int Files, int Turns, int Quotes, int Notes);

    private sealed class Segment
    {
        public string Speaker { get; init; } = "";
        public long StartMs { get; init; }
        public long EndMs { get; init; }
        public string Text { get; init; } = "";
    }

    private sealed class AnnotationRow
    {
        public int Id { get; init; }
        public string Kind { get; init; } = "";
        public string CategoryCode { get; init; } = "";
        public long StartMs { get; init; }
        public long? EndMs { get; init; }
        public string Quote { get; init; } = "";
        public string Expected { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public sealed class Handler(IDbConnectionFactory db, RecordingStore store, TimeProvider clock, AuditLog audit, CacheTagHelperMemoryCacheFactory transcripts)
    {
        public async Task<Model> FindAsync(Query query, CancellationToken ct)
        {
            if (query.IsEmpty)
                return new Model(query, [], Searched: false);
            await using var connection = await db.OpenAsync(ct);
            var reference = string.IsNullOrWhiteSpace(query.Reference) ? null : query.Reference.Trim();
            // A number typed without its country code, or with a national trunk 0 instead, still finds the call: the
            // stored digits end with it.
            var phone = PhoneDigits(query.Phone) is { } digits ? "%" + (digits.TrimStart('0') is { Length: > 0 } national ? national : digits) : null;
            var calls = (await connection.QueryAsync<Found>(
                """
                SELECT c.Id, c.Title, t.Name AS Team, COALESCE(u.DisplayName, c.AgentName) AS Agent, c.CallAt, c.ExternalRef, c.CustomerPhone, c.DurationMs,
                       (SELECT COUNT(*) FROM Segment s WHERE s.CallId = c.Id) AS Turns,
                       (SELECT COUNT(*) FROM Annotation a WHERE a.CallId = c.Id) AS Annotations,
                       (SELECT COUNT(*) FROM Exercise e WHERE e.CallId = c.Id OR e.SecondCallId = c.Id) AS Exercises,
                       c.RetainedAt, c.ErasedAt
                FROM Call c LEFT JOIN Team t ON t.Id = c.TeamId LEFT JOIN UserAccount u ON u.Id = c.AgentUserId
                WHERE (@reference IS NOT NULL AND c.ExternalRef = @reference) OR (@phone IS NOT NULL AND c.CustomerPhone LIKE @phone)
                ORDER BY c.CallAt, c.Id
                """, new { reference, phone })).ToList();
            foreach (var call in calls)
            {
                call.Files = (await FilesAsync(connection, call.Id)).Count;
                call.Notes = (await CallDataRemoval.NotesAsync(connection, call.Id)).Count;
            }
            return new Model(query, calls, Searched: true);
        }

        /// <summary>
        /// A zip of <c>request.json</c> (each call's details, transcript and annotations) and the recordings still held;
        /// null when nothing matches.
        /// </summary>
        public async Task<byte[]?> ExportAsync(Query query, CancellationToken ct)
        {
            var found = await FindAsync(query, ct);
            if (found.Calls.Count == 0)
                return null;
            await using var connection = await db.OpenAsync(ct);
            var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                var calls = new List<object>();
                foreach (var call in found.Calls)
                {
                    var turns = await connection.QueryAsync<Segment>(
                        "SELECT Speaker, StartMs, EndMs, Text FROM Segment WHERE CallId = @Id ORDER BY StartMs, Seq", new { call.Id });
                    var annotations = await connection.QueryAsync<AnnotationRow>(
                        "SELECT Id, Kind, CategoryCode, StartMs, EndMs, Quote, Expected, CreatedAt FROM Annotation WHERE CallId = @Id AND DeletedAt IS NULL ORDER BY StartMs",
                        new { call.Id });
                    var recordings = new List<string>();
                    foreach (var file in await FilesAsync(connection, call.Id, playable: true))
                    {
                        var name = $"recordings/call-{call.Id}-{Path.GetFileName(file)}";
                        await zip.CreateEntryFromFileAsync(store.FullPath(file), name, CompressionLevel.NoCompression, ct);
                        recordings.Add(name);
                    }
                    calls.Add(new
                    {
                        call.Id, call.Title, call.Team, call.Agent, call.CallAt, call.ExternalRef, call.CustomerPhone,
                        DurationSeconds = call.DurationMs / 1000.0, call.RetainedAt, call.ErasedAt, Recordings = recordings,
                        // What staff and learners wrote about the call may hold the customer's words too.
                        Notes = await CallDataRemoval.NotesAsync(connection, call.Id),
                        Transcript = turns.Select(t => new { t.Speaker, Start = t.StartMs / 1000.0, End = t.EndMs / 1000.0, t.Text }),
                        Annotations = annotations.Select(a => new
                        {
                            a.Kind, Category = a.CategoryCode, Start = a.StartMs / 1000.0, End = a.EndMs / 1000.0, a.Quote, a.Expected, a.CreatedAt,
                        }),
                    });
                }
                var entry = zip.CreateEntry("request.json", CompressionLevel.Optimal);
                await using var json = await entry.OpenAsync(ct);
                await JsonSerializer.SerializeAsync(json, new { ExportedAt = clock.GetUtcNow(), Calls = calls }, Json, ct);
            }
            await audit.RecordAsync(AuditActions.CustomerExported, "Call", null,
                $"by {query.Describe()}: calls {string.Join(", ", found.Calls.Select(c => c.Id))}", ct);
            return buffer.ToArray();
        }

        /// <summary>Erases every matching call not erased yet, one transaction per call, each audited.</summary>
        public async Task<Outcome<Erased>> EraseAsync(Query query, CancellationToken ct)
        {
            var found = await FindAsync(query, ct);
            var doomed = found.Erasable.ToList();
            if (doomed.Count == 0)
                return Outcome.Invalid("", "No call to erase matches.");
            int files = 0, turns = 0, quotes = 0, notes = 0;
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteAsync(db.Dialect.SecureDelete(on: true));
            try
            {
                foreach (var call in doomed)
                {
                    CallDataRemoval.Removed removed;
                    using (await db.WriteTurnAsync(ct))
                    {
                        await using var tx = await connection.BeginTransactionAsync(ct);
                        removed = await CallDataRemoval.EraseAsync(connection, db.Dialect, tx, store, call.Id, clock.GetUtcNow());
                        await tx.CommitAsync(ct);
                    }
                    (files, turns, quotes, notes) = (files + removed.FilesDeleted, turns + removed.TurnsChanged, quotes + removed.QuotesChanged, notes + removed.NotesChanged);
                    await audit.RecordAsync(AuditActions.CustomerErased, "Call", call.Id,
                        $"by {query.Describe()}: {removed.FilesDeleted} files, {removed.TurnsChanged} transcript turns, {removed.QuotesChanged} quotes, {removed.NotesChanged} notes", ct);
                }
                using (await db.WriteTurnAsync(ct))
                    await connection.ExecuteAsync(db.Dialect.MergeTextIndex);
                // Best effort: a reader still busy leaves the log's old pages to the next checkpoint.
                await connection.ExecuteAsync(db.Dialect.Checkpoint);
            }
            finally
            {
                await connection.ExecuteAsync(db.Dialect.SecureDelete(on: false));
            }
            // Rendered transcripts are cached in memory by their turns: drop them all, so no page can show the erased words.
            (transcripts.Cache as MemoryCache)?.Compact(1.0);
            return Outcome.Done(new Erased(doomed.Count, files, turns, quotes, notes));
        }

        /// <summary>The recording's files held; <paramref name="playable"/>: none while the call awaits redaction (they may hold card data).</summary>
        private async Task<IReadOnlyList<string>> FilesAsync(System.Data.Common.DbConnection connection, int callId, bool playable = false)
        {
            if (await RecordingFiles.FindAsync(connection, callId) is not { } files || (playable && files.AwaitsRedaction))
                return [];
            return new[] { files.OriginalPath, files.PlaybackPath, files.PeaksPath }
                .OfType<string>().Where(p => p.Length > 0 && File.Exists(store.FullPath(p))).ToList();
        }
    }
}
