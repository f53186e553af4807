using System.Data.Common;
using System.Text.Json;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Shared;
using Dapper;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Review;

/// <summary>
/// Creating and editing an annotation, for the review page and the JSON API alike: one set of rules (time
/// inside the call, end after start, an active category, severity 1–3 for an unmet need), one audit trail.
/// Errors are keyed by the API's field names, which are also the form's input names.
/// </summary>
public static class SaveAnnotation
{
    public const int MaxQuote = 2000;
    public const int MaxExpected = 4000;

    public sealed class Input
    {
        public string? Kind { get; set; }
        [Seconds] public decimal? Start { get; set; }
        [Seconds] public decimal? End { get; set; }
        public string? Category { get; set; }
        public int? Severity { get; set; }
        public string? Quote { get; set; }
        public string? Expected { get; set; }
    }

    public sealed class Handler(IDbConnectionFactory db, TimeProvider clock, Trends.TrendFactStore facts, AuditLog audit)
    {
        public async Task<Outcome<int>> CreateAsync(ReviewScope scope, CurrentUser user, Input input, CancellationToken ct)
        {
            await using (var connection = await db.OpenAsync(ct))
                if (await ValidateAsync(connection, scope, input, keepCategory: null) is { Count: > 0 } errors)
                    return Outcome.Invalid(errors);
            using var turn = await db.WriteTurnAsync(ct);
            var now = clock.GetUtcNow();
            // The audit entry in the same transaction: one commit while the other writers wait their turn.
            return Outcome.Done(await audit.RecordWithAsync(AuditActions.AnnotationCreated, "Annotation", scope.AuditDetail, async (connection, tx) =>
            {
                var id = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("Annotation",
                    "CallId, CalibrationSessionId, Kind, StartMs, EndMs, CategoryCode, Severity, Quote, Expected, AuthorUserId, CreatedAt, UpdatedAt",
                    "@CallId, @SessionId, @Kind, @StartMs, @EndMs, @Category, @Severity, @Quote, @Expected, @UserId, @now, @now"),
                    Parameters(scope, input, user, now), tx);
                await AnnotationAudit.RecordAsync(connection, tx, id, user.Id, "create", now);
                await facts.CountAnnotationAsync(connection, tx, scope.CallId, null, Counted(scope, input));
                return id;
            }, ct));
        }

        public async Task<Outcome<int>> UpdateAsync(ReviewScope scope, CurrentUser user, int id, Input input, CancellationToken ct)
        {
            await using (var connection = await db.OpenAsync(ct))
            {
                var existing = await AnnotationAudit.FindAsync(connection, null, scope, id);
                if (AnnotationAccess.Refusal(existing, user) is { } refusal)
                    return refusal;
                if (await ValidateAsync(connection, scope, input, keepCategory: existing!.CategoryCode) is { Count: > 0 } errors)
                    return Outcome.Invalid(errors);
            }
            using var turn = await db.WriteTurnAsync(ct);
            var now = clock.GetUtcNow();
            var parameters = new DynamicParameters(Parameters(scope, input, user, now));
            parameters.Add("Id", id);
            return Outcome.Done(await audit.RecordWithAsync(AuditActions.AnnotationChanged, "Annotation", scope.AuditDetail, async (connection, tx) =>
            {
                // What it counted as in the trends, read in the write's turn: another write may have changed it since the check.
                var before = await AnnotationAudit.CountedAsync(connection, tx, id);
                await connection.ExecuteAsync(
                    """
                    UPDATE Annotation SET Kind = @Kind, StartMs = @StartMs, EndMs = @EndMs, CategoryCode = @Category, Severity = @Severity,
                        Quote = @Quote, Expected = @Expected, UpdatedAt = @now
                    WHERE Id = @Id
                    """, parameters, tx);
                await AnnotationAudit.RecordAsync(connection, tx, id, user.Id, "update", now);
                await facts.CountAnnotationAsync(connection, tx, scope.CallId, before, before is null ? null : Counted(scope, input));
                return id;
            }, ct));
        }

        /// <summary>The form for a new annotation at a moment: the customer's words from the turn(s) there.</summary>
        public async Task<Input> PrefillAsync(ReviewScope scope, decimal start, decimal? end, CancellationToken ct)
        {
            var startMs = ToMs(Math.Clamp(start, 0, scope.DurationMs / 1000m));
            var endMs = end is { } e && ToMs(e) > startMs ? Math.Min(ToMs(e), scope.DurationMs) : (long?)null;
            await using var connection = await db.OpenAsync(ct);
            // The customer's turn at (or the last one before) the moment; for a range, every customer turn in it.
            var quote = endMs is { } rangeEnd
                ? string.Join(" ", await connection.QueryAsync<string>(
                    """
                    SELECT Text FROM Segment
                    WHERE CallId = @CallId AND Speaker <> 'agent' AND StartMs < @rangeEnd AND EndMs > @startMs
                    ORDER BY StartMs, Seq
                    """, new { scope.CallId, startMs, rangeEnd }))
                : await connection.QueryFirstOrDefaultAsync<string>(
                    $"""
                    SELECT Text FROM Segment
                    WHERE CallId = @CallId AND Speaker <> 'agent' AND StartMs <= @startMs
                    ORDER BY StartMs DESC, Seq DESC {db.Dialect.Page}
                    """, new { scope.CallId, startMs, Offset = 0, Limit = 1 });
            var text = (quote ?? "").Trim();
            return new Input
            {
                Kind = "unmet",
                Start = startMs / 1000m,
                End = endMs / 1000m,
                Severity = 2,
                Quote = text.Length > MaxQuote ? text[..MaxQuote] : text,
            };
        }

        private static async Task<Dictionary<string, Message>> ValidateAsync(DbConnection connection, ReviewScope scope, Input input, string? keepCategory)
        {
            var errors = new Dictionary<string, Message>();
            var kind = input.Kind?.Trim().ToLowerInvariant();
            if (kind is not ("unmet" or "exemplary"))
                errors["kind"] = "Kind must be \"unmet\" or \"exemplary\".";
            var duration = scope.DurationMs / 1000m;
            if (input.Start is not { } start)
                errors["start"] = "Start (seconds from the call's start) is required.";
            else if (start < 0 || start > duration)
                errors["start"] = new Message("Start must be inside the call (0–{0:0.###} s).", duration);
            if (input.End is { } end)
            {
                if (input.Start is { } s && end <= s)
                    errors["end"] = "End must be after start.";
                else if (end > duration)
                    errors["end"] = new Message("End must be inside the call (at most {0:0.###} s).", duration);
            }
            var category = input.Category?.Trim() ?? "";
            if (category.Length == 0)
                errors["category"] = "Choose a category.";
            else if (category != keepCategory &&
                     await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM NeedCategory WHERE Code = @category AND IsActive = 1", new { category }) == 0)
                errors["category"] = new Message("\"{0}\" is not an active category.", category);
            if (kind == "unmet" && input.Severity is not (>= 1 and <= 3))
                errors["severity"] = "Severity must be 1, 2 or 3.";
            if ((input.Quote?.Length ?? 0) > MaxQuote)
                errors["quote"] = new Message("The quote can be at most {0} characters.", MaxQuote);
            if ((input.Expected?.Length ?? 0) > MaxExpected)
                errors["expected"] = new Message("What should have happened can be at most {0} characters.", MaxExpected);
            return errors;
        }

        private static object Parameters(ReviewScope scope, Input input, CurrentUser user, DateTimeOffset now)
        {
            var kind = input.Kind!.Trim().ToLowerInvariant();
            return new
            {
                scope.CallId,
                scope.SessionId,
                Kind = kind,
                StartMs = ToMs(input.Start!.Value),
                EndMs = input.End is { } end ? ToMs(end) : (long?)null,
                Category = input.Category!.Trim(),
                Severity = kind == "unmet" ? input.Severity : null,
                Quote = input.Quote?.Trim() ?? "",
                Expected = input.Expected?.Trim() ?? "",
                UserId = user.Id,
                now,
            };
        }

        /// <summary>What the saved annotation counts as in the trends (see <see cref="Parameters"/> for the values stored).</summary>
        private static Trends.TrendFactStore.Counted? Counted(ReviewScope scope, Input input) =>
            Trends.TrendFactStore.Counted.Of(input.Kind!.Trim().ToLowerInvariant(), input.Category!.Trim(), scope.SessionId, null);

        private static long ToMs(decimal seconds) => (long)Math.Round(seconds * 1000m, MidpointRounding.AwayFromZero);
    }
}

/// <summary>Reads one annotation in its scope and writes the audit row (who, when, what it looked like after the change).</summary>
public static class AnnotationAudit
{
    public static Task<Annotation?> FindAsync(DbConnection connection, DbTransaction? tx, ReviewScope scope, int id) =>
        connection.QuerySingleOrDefaultAsync<Annotation>(
            $"""
            SELECT Id, Kind, StartMs, EndMs, CategoryCode, Severity, Quote, Expected, AuthorUserId, DeletedAt FROM Annotation
            WHERE Id = @id AND CallId = @CallId AND DeletedAt IS NULL
              AND {ReviewScope.VisibleAnnotation(null)}
            """, new { id, scope.CallId, scope.SessionId, scope.OnlyAuthor }, tx);

    /// <summary>What annotation <paramref name="id"/> counts as in the trend facts now.</summary>
    public static async Task<Trends.TrendFactStore.Counted?> CountedAsync(DbConnection connection, DbTransaction tx, int id)
    {
        var row = await connection.QuerySingleAsync<Annotation>(
            "SELECT Kind, CategoryCode, CalibrationSessionId, DeletedAt FROM Annotation WHERE Id = @id", new { id }, tx);
        return Trends.TrendFactStore.Counted.Of(row.Kind, row.CategoryCode, row.CalibrationSessionId, row.DeletedAt);
    }

    public static async Task RecordAsync(DbConnection connection, DbTransaction tx, int id, int userId, string action, DateTimeOffset now)
    {
        var row = await connection.QuerySingleAsync<Annotation>(
            "SELECT Id, Kind, StartMs, EndMs, CategoryCode, Severity, Quote, Expected, AuthorUserId, DeletedAt FROM Annotation WHERE Id = @id",
            new { id }, tx);
        var snapshot = JsonSerializer.Serialize(new
        {
            kind = row.Kind,
            startMs = row.StartMs,
            endMs = row.EndMs,
            category = row.CategoryCode,
            severity = row.Severity,
            quote = row.Quote,
            expected = row.Expected,
            deleted = row.DeletedAt is not null,
        });
        await connection.ExecuteAsync(
            "INSERT INTO AnnotationChange (AnnotationId, UserId, Action, Snapshot, ChangedAt) VALUES (@id, @userId, @action, @snapshot, @now)",
            new { id, userId, action, snapshot, now }, tx);
    }
}
