using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using Dapper;

namespace CallReview.Web.Features.Review;

/// <summary>
/// What a review page works on: a call's own review (no session) or one calibration session of it. In a session
/// <see cref="OnlyAuthor"/> is the participant: every annotation query of the scope sees only their pins.
/// </summary>
public sealed record ReviewScope(int CallId, int? SessionId, long DurationMs, string BasePath, int? OnlyAuthor = null)
{
    /// <summary>Where a change was made, for the audit trail.</summary>
    public string AuditDetail => SessionId is { } session ? $"call {CallId}, calibration session {session}" : $"call {CallId}";

    /// <summary>SQL: the row (alias, or none) belongs to this scope's session, or to no session when reviewing the call itself; parameter @SessionId.</summary>
    public static string InSession(string? alias)
    {
        var column = alias is null ? "CalibrationSessionId" : $"{alias}.CalibrationSessionId";
        return $"({column} = @SessionId OR ({column} IS NULL AND @SessionId IS NULL))";
    }

    /// <summary>SQL: an annotation (alias, or none) of this scope that its viewer may see; parameters @SessionId and @OnlyAuthor.</summary>
    public static string VisibleAnnotation(string? alias)
    {
        var author = alias is null ? "AuthorUserId" : $"{alias}.AuthorUserId";
        return $"{InSession(alias)} AND (@OnlyAuthor IS NULL OR {author} = @OnlyAuthor)";
    }
}

/// <summary>
/// Resolves where an annotation request works: a call's review (<c>/review/{callId}</c>, any reviewer or
/// supervisor who may open the call) or a calibration session (<c>/calibration/{sessionId}</c>, only its
/// participants, each blind to the others and read-only once they have submitted).
/// </summary>
public static class ReviewScopes
{
    public sealed record Access(ReviewScope Scope, bool ReadOnly);

    private sealed class SessionRow
    {
        public int CallId { get; init; }
        public DateTimeOffset? SubmittedAt { get; init; }
    }

    public sealed class Handler(CallAccess calls, IDbConnectionFactory db)
    {
        public async Task<Access?> ForCallAsync(int callId, CurrentUser user, CancellationToken ct) =>
            await calls.FindAsync(callId, user, ct) is { } call
                ? new Access(new ReviewScope(call.Id, null, call.DurationMs, $"/review/{call.Id}"), false)
                : null;

        public async Task<Access?> ForSessionAsync(int sessionId, CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var row = await connection.QuerySingleOrDefaultAsync<SessionRow>(
                """
                SELECT s.CallId, p.SubmittedAt FROM CalibrationSession s
                JOIN CalibrationParticipant p ON p.SessionId = s.Id AND p.UserId = @userId
                WHERE s.Id = @sessionId
                """, new { sessionId, userId = user.Id });
            if (row is null || await calls.FindAsync(row.CallId, user, ct) is not { } call)
                return null;
            return new Access(new ReviewScope(call.Id, sessionId, call.DurationMs, $"/calibration/{sessionId}", OnlyAuthor: user.Id),
                ReadOnly: row.SubmittedAt is not null);
        }

        public Task<Access?> ResolveAsync(int? callId, int? sessionId, CurrentUser user, CancellationToken ct) =>
            sessionId is { } s ? ForSessionAsync(s, user, ct)
            : callId is { } c ? ForCallAsync(c, user, ct)
            : Task.FromResult<Access?>(null);
    }
}
