using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using Dapper;

namespace CallReview.Web.Features.Review;

/// <summary>What a review page works on: a call's own review (no session) or one calibration session of it.</summary>
public sealed record ReviewScope(int CallId, int? SessionId, long DurationMs, string BasePath)
{
    /// <summary>SQL: the row (alias, or none) belongs to this scope's session, or to no session when reviewing the call itself; parameter @SessionId.</summary>
    public static string InSession(string? alias)
    {
        var column = alias is null ? "CalibrationSessionId" : $"{alias}.CalibrationSessionId";
        return $"({column} = @SessionId OR ({column} IS NULL AND @SessionId IS NULL))";
    }
}

/// <summary>
/// Resolves where an annotation request works: a call's review (<c>/review/{callId}</c>, any reviewer or
/// supervisor who may open the call) or a calibration session (<c>/calibration/{sessionId}</c>, only its
/// participants, each blind to the others and read-only once they have submitted).
/// </summary>
public static class ReviewScopes
{
    public sealed record Access(ReviewScope Scope, bool ReadOnly, int? OnlyAuthor);

    private sealed class SessionRow
    {
        public int CallId { get; init; }
        public DateTimeOffset? SubmittedAt { get; init; }
    }

    public sealed class Handler(CallAccess calls, IDbConnectionFactory db)
    {
        public async Task<Access?> ForCallAsync(int callId, CurrentUser user, CancellationToken ct) =>
            await calls.FindAsync(callId, user, ct) is { } call
                ? new Access(new ReviewScope(call.Id, null, call.DurationMs, $"/review/{call.Id}"), false, null)
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
            return new Access(new ReviewScope(call.Id, sessionId, call.DurationMs, $"/calibration/{sessionId}"),
                ReadOnly: row.SubmittedAt is not null, OnlyAuthor: user.Id);
        }

        public Task<Access?> ResolveAsync(int? callId, int? sessionId, CurrentUser user, CancellationToken ct) =>
            sessionId is { } s ? ForSessionAsync(s, user, ct)
            : callId is { } c ? ForCallAsync(c, user, ct)
            : Task.FromResult<Access?>(null);
    }
}
