using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Data.Sqlite;

namespace CallReview.Web.Features.Audit;

/// <summary>One row of the audit trail, as stored.</summary>
public sealed record AuditEntry
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public int? UserId { get; init; }
    public string Actor { get; init; } = "";
    public string Action { get; init; } = "";
    public string ResourceType { get; init; } = "";
    public string? ResourceId { get; init; }
    public string? Detail { get; init; }
    public string? SourceAddress { get; init; }
    public string PreviousHash { get; init; } = "";
    public string Hash { get; init; } = "";

    /// <summary>The PreviousHash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>
    /// SHA-256 over the previous hash and every field but Id, each length-prefixed (null written as "-") so no two
    /// different entries give the same text.
    /// </summary>
    public string ComputeHash()
    {
        var text = new StringBuilder();
        foreach (var field in new[]
                 {
                     PreviousHash, DapperSetup.ToSortableUtc(At), UserId?.ToString(CultureInfo.InvariantCulture), Actor, Action,
                     ResourceType, ResourceId, Detail, SourceAddress,
                 })
            text.Append(field is null ? "-" : $"{field.Length}:{field}").Append('|');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>What is audited: action names, as stored and searched.</summary>
public static class AuditActions
{
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in.failed";
    public const string CallOpened = "call.opened";
    public const string AudioPlayed = "call.audio-played";
    public const string Exported = "export.csv";
    public const string AnnotationCreated = "annotation.created";
    public const string AnnotationChanged = "annotation.changed";
    public const string AnnotationDeleted = "annotation.deleted";
    public const string ScorecardSaved = "scorecard.saved";
    public const string UserCreated = "user.created";
    public const string UserChanged = "user.changed";
    public const string ExerciseCreated = "exercise.created";
    public const string ExerciseChanged = "exercise.changed";
    public const string ExerciseAssigned = "exercise.assigned";
    public const string CertificationCreated = "certification.created";
    public const string ApiKeyCreated = "apikey.created";
    public const string ApiKeyRevoked = "apikey.revoked";
    public const string TeamCreated = "team.created";
    public const string RetentionSet = "retention.set";
    public const string RetentionConfirmed = "retention.confirmed";
    public const string RetentionApplied = "retention.applied";
    public const string RetentionRun = "retention.run";
    public const string CategorySaved = "category.saved";
    public const string RubricPublished = "rubric.published";
    public const string DisputeOpened = "dispute.opened";
    public const string DisputeResolved = "dispute.resolved";
    public const string CalibrationCreated = "calibration.created";
    public const string CustomerExported = "customer.exported";
    public const string CustomerErased = "customer.erased";
    /// <summary>The checkpoint left by pruning: ResourceId is the last pruned entry's id, Detail its hash.</summary>
    public const string Pruned = "audit.pruned";

    /// <summary>
    /// Each action's label for people, a key of <c>Text</c> said in the reader's language on the audit page. Only shown: the
    /// stored code is what the chain hashes, what the search matches and what the export writes.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [SignIn] = "Signed in",
        [SignInFailed] = "Sign-in failed",
        [CallOpened] = "Call opened",
        [AudioPlayed] = "Call played",
        [Exported] = "CSV exported",
        [AnnotationCreated] = "Annotation created",
        [AnnotationChanged] = "Annotation changed",
        [AnnotationDeleted] = "Annotation deleted",
        [ScorecardSaved] = "Scorecard saved",
        [UserCreated] = "User created",
        [UserChanged] = "User changed",
        [ExerciseCreated] = "Exercise created",
        [ExerciseChanged] = "Exercise changed",
        [ExerciseAssigned] = "Exercise assigned",
        [CertificationCreated] = "Certification created",
        [ApiKeyCreated] = "API key created",
        [ApiKeyRevoked] = "API key revoked",
        [TeamCreated] = "Team created",
        [RetentionSet] = "Retention period set",
        [RetentionConfirmed] = "Retention period confirmed",
        [RetentionApplied] = "Call anonymised by retention",
        [RetentionRun] = "Retention run",
        [CategorySaved] = "Need category saved",
        [RubricPublished] = "Rubric version published",
        [DisputeOpened] = "Dispute opened",
        [DisputeResolved] = "Dispute resolved",
        [CalibrationCreated] = "Calibration session created",
        [CustomerExported] = "Customer's data exported",
        [CustomerErased] = "Customer's data erased",
        [Pruned] = "Older entries pruned",
    };

    /// <summary>
    /// Each resource type's label for people, a key of <c>Text</c>, shown like <see cref="Labels"/>: the stored type
    /// ("UserAccount", "Call") stays as it is, hashed into the chain and matched by the search.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ResourceLabels = new Dictionary<string, string>
    {
        ["Annotation"] = "Annotation",
        ["Annotations"] = "Annotations",
        ["ApiKey"] = "API key",
        [nameof(AuditEntry)] = "Audit trail",
        ["CalibrationSession"] = "Calibration session",
        ["Call"] = "Call",
        ["Certification"] = "Certification",
        ["Dispute"] = "Score dispute",
        ["Exercise"] = "Exercise",
        ["NeedCategory"] = "Need category",
        ["RetentionRun"] = "Retention run",
        ["RubricVersion"] = "Rubric version",
        ["ScorecardResult"] = "Scorecard",
        ["Team"] = "Team",
        ["Trends"] = "Trends",
        ["UserAccount"] = "User account",
    };
}

/// <summary>Who did it, from where. Outside a request (a command, the worker) it is the system.</summary>
public sealed record AuditActor(int? UserId, string Name, string? SourceAddress)
{
    public static readonly AuditActor System = new(null, "system", null);
}

/// <summary>
/// Appends to the hash-chained audit trail. Appends in this process take turns; across processes the unique
/// PreviousHash lets only one of two writers that read the same last entry succeed, and the other retries on
/// the new last entry.
/// </summary>
public sealed class AuditLog(IDbConnectionFactory db, TimeProvider clock, IHttpContextAccessor http, IMemoryCache recorded)
{
    private const int Attempts = 5;
    // One turn per database (the connection factory is one per app), not per process: test hosts run many apps
    // side by side, and a turn shared by all of them let one slow database hold up every other app's sign-in.
    private static readonly ConditionalWeakTable<IDbConnectionFactory, SemaphoreSlim> Turns = new();

    /// <summary>The signed-in user of the current request and its address, or the system.</summary>
    public AuditActor CurrentActor()
    {
        var context = http.HttpContext;
        if (context is null)
            return AuditActor.System;
        var address = context.Connection.RemoteIpAddress?.ToString();
        return CurrentUser.From(context.User) is { } user
            ? new AuditActor(user.Id, user.Email, address)
            : new AuditActor(null, "anonymous", address);
    }

    /// <summary>Records what the current request's user did.</summary>
    public Task RecordAsync(string action, string resourceType, object? resourceId, string? detail, CancellationToken ct) =>
        RecordAsync(CurrentActor(), action, resourceType, resourceId, detail, ct);

    /// <summary>
    /// Records it unless this user already did the same (with the same detail) to the same resource since the current
    /// sign-in began (API keys have no sign-in session: every call is recorded). Once recorded, or found recorded,
    /// this process remembers it for the session, so a page opened again costs no query at all.
    /// </summary>
    public async Task RecordOncePerSessionAsync(string action, string resourceType, object resourceId, string? detail, CancellationToken ct)
    {
        var actor = CurrentActor();
        var id = Convert.ToString(resourceId, CultureInfo.InvariantCulture);
        if (http.HttpContext?.User.FindFirst(CurrentUser.SessionClaim)?.Value is not { } session)
        {
            await RecordAsync(actor, action, resourceType, id, detail, ct);
            return;
        }
        var key = (Recorded, session, action, resourceType, id, detail);
        if (recorded.TryGetValue(key, out _))
            return;
        await using (var connection = await db.OpenAsync(ct))
        {
            var done = await connection.ExecuteScalarAsync<int>(
                """
                SELECT COUNT(*) FROM AuditEntry a JOIN UserSession s ON s.Id = @session
                WHERE a.Action = @action AND a.ResourceType = @resourceType AND a.ResourceId = @id AND a.UserId = @UserId AND a.At >= s.CreatedAt
                  AND (a.Detail = @detail OR (a.Detail IS NULL AND @detail IS NULL))
                """,
                new { session, action, resourceType, id, actor.UserId, detail });
            if (done == 0)
                await RecordAsync(actor, action, resourceType, id, detail, ct);
        }
        // A session lives at most as long as its idle timeout without a request; the entry goes with it.
        recorded.Set(key, true, new MemoryCacheEntryOptions { SlidingExpiration = Sessions.IdleTimeout });
    }

    private static readonly object Recorded = new();

    public async Task RecordAsync(AuditActor actor, string action, string resourceType, object? resourceId, string? detail, CancellationToken ct)
    {
        var appending = Turns.GetValue(db, _ => new SemaphoreSlim(1, 1));
        await appending.WaitAsync(ct);
        try
        {
            await AppendAsync(actor, action, resourceType, resourceId, detail, ct);
        }
        finally
        {
            appending.Release();
        }
    }

    /// <summary>
    /// Makes a write and records it in one transaction: both are stored or neither is, and the write costs one commit
    /// instead of two. <paramref name="write"/> answers the id of what it wrote (the entry's resource); it runs again
    /// when another process appended first. Callers holding the database's write turn keep it around this.
    /// </summary>
    public async Task<int> RecordWithAsync(string action, string resourceType, string? detail, Func<DbConnection, DbTransaction, Task<int>> write,
        CancellationToken ct)
    {
        var appending = Turns.GetValue(db, _ => new SemaphoreSlim(1, 1));
        await appending.WaitAsync(ct);
        try
        {
            var id = 0;
            await AppendAsync(CurrentActor(), action, resourceType, null, detail, ct, async (connection, tx) => id = await write(connection, tx));
            return id;
        }
        finally
        {
            appending.Release();
        }
    }

    /// <summary>
    /// Deletes the entries older than <paramref name="before"/> and, in the same transaction, appends a checkpoint
    /// (<see cref="AuditActions.Pruned"/>) naming the last pruned entry and its hash: the first kept entry still
    /// points at that hash, so <c>verify-audit</c> starts there and the chain stays verifiable. Answers how many
    /// entries went.
    /// </summary>
    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken ct)
    {
        var appending = Turns.GetValue(db, _ => new SemaphoreSlim(1, 1));
        await appending.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            var last = await connection.QuerySingleOrDefaultAsync<AuditEntry>(
                "SELECT Id, Hash FROM AuditEntry WHERE Id = (SELECT MAX(Id) FROM AuditEntry WHERE At < @before)",
                new { before });
            if (last is null)
                return 0;
            var pruned = 0;
            await AppendAsync(AuditActor.System, AuditActions.Pruned, nameof(AuditEntry), last.Id, last.Hash, ct, async (c, tx) =>
            {
                pruned = await c.ExecuteAsync("DELETE FROM AuditEntry WHERE Id <= @Id", new { last.Id }, tx);
                return null;
            });
            return pruned;
        }
        finally
        {
            appending.Release();
        }
    }

    /// <summary>
    /// Appends one entry after the last (retrying when another process appended first), after <paramref name="first"/> in
    /// the same transaction; what <paramref name="first"/> answers, when not null, is the entry's resource id.
    /// </summary>
    private async Task AppendAsync(AuditActor actor, string action, string resourceType, object? resourceId, string? detail, CancellationToken ct,
        Func<DbConnection, DbTransaction, Task<object?>>? first = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var previous = await connection.ExecuteScalarAsync<string?>(
                "SELECT Hash FROM AuditEntry WHERE Id = (SELECT MAX(Id) FROM AuditEntry)", transaction: tx) ?? AuditEntry.Genesis;
            // Outside the retry: a constraint the caller's own write breaks is its error, not another process's append.
            var written = first is null ? null : await first(connection, tx);
            try
            {
                var entry = new AuditEntry
                {
                    At = clock.GetUtcNow(), UserId = actor.UserId, Actor = Fit(actor.Name, "Actor")!, Action = action, ResourceType = resourceType,
                    ResourceId = (written ?? resourceId) is { } id ? Convert.ToString(id, CultureInfo.InvariantCulture) : null,
                    Detail = Fit(detail, "Detail"), SourceAddress = Fit(actor.SourceAddress, "SourceAddress"), PreviousHash = previous,
                };
                await connection.ExecuteAsync(
                    """
                    INSERT INTO AuditEntry (At, UserId, Actor, Action, ResourceType, ResourceId, Detail, SourceAddress, PreviousHash, Hash)
                    VALUES (@At, @UserId, @Actor, @Action, @ResourceType, @ResourceId, @Detail, @SourceAddress, @PreviousHash, @Hash)
                    """,
                    entry with { Hash = entry.ComputeHash() }, tx);
                await tx.CommitAsync(ct);
                return;
            }
            catch (DbException ex) when (attempt < Attempts && IsDuplicateKey(ex))
            {
                // Another process appended after our read: chain onto its entry instead.
            }
        }
    }

    private static string? Fit(string? text, string column) => text is null ? null : ColumnLimits.Fit(text, nameof(AuditEntry), column);

    private static bool IsDuplicateKey(DbException ex) => ex switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19, // SQLITE_CONSTRAINT
        SqlException sql => sql.Number is 2601 or 2627,
        _ => false,
    };
}
