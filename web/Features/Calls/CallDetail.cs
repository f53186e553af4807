using CallReview.Db;
using CallReview.Transcription;
using CallReview.Transcription.Jobs;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Calls;

/// <summary>One call: its metadata, transcription status and transcript.</summary>
public static class CallDetail
{
    public sealed class Info
    {
        public int Id { get; init; }
        public string Title { get; init; } = "";
        public string? Agent { get; init; }
        public string? Team { get; init; }
        public DateTimeOffset? StartedAt { get; init; }
        public string? Direction { get; init; }
        public string Layout { get; init; } = "";
        public string? ExternalRef { get; init; }
        public string? CustomerPhone { get; init; }
        public DateTimeOffset? RetainedAt { get; init; }
        public DateTimeOffset? ErasedAt { get; init; }
        public long DurationMs { get; init; }
        public string? Language { get; init; }
        public bool IsSample { get; init; }
        public string OriginalFileName { get; init; } = "";
        public int Channels { get; init; }
        public string Codec { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    public sealed record Model(Info Call, TranscriptionJob? Job, Timeline Timeline, IReadOnlyList<string> Tags, bool CanReview, bool CanManage,
        IReadOnlyList<ModelCatalog.ModelFile> Models, string MissingModelAdvice, bool ShowsTechnicalDetail);

    public sealed class Handler(IDbConnectionFactory db, TranscriptionQueue queue, ModelCatalog models, CallAccess access, LoadTimeline.Handler timelines)
    {
        public async Task<Model?> HandleAsync(int callId, CurrentUser user, CancellationToken ct)
        {
            if (await access.FindAsync(callId, user, ct) is not { } visible)
                return null;
            await using var connection = await db.OpenAsync(ct);
            var call = await connection.QuerySingleOrDefaultAsync<Info>(
                """
                SELECT c.Id, c.Title, COALESCE(u.DisplayName, c.AgentName) AS Agent, t.Name AS Team, c.StartedAt, c.Direction, c.Layout,
                       c.ExternalRef, c.CustomerPhone, c.RetainedAt, c.ErasedAt, c.DurationMs, c.Language, c.IsSample, r.OriginalFileName, r.Channels, r.Codec, c.CreatedAt
                FROM Call c
                JOIN Recording r ON r.CallId = c.Id
                LEFT JOIN UserAccount u ON u.Id = c.AgentUserId
                LEFT JOIN Team t ON t.Id = c.TeamId
                WHERE c.Id = @callId
                """, new { callId });
            if (call is null)
                return null;
            var timeline = await timelines.LoadAsync(visible, markUrl: null, markTarget: null, startAt: null, ct);
            var tags = (await connection.QueryAsync<string>("SELECT Tag FROM CallTag WHERE CallId = @callId ORDER BY Tag", new { callId })).ToList();
            var job = await queue.LatestForCallAsync(callId, ct);
            var canReview = CallAccess.MayReview(user);
            var canManage = CallAccess.MayManage(user);
            return new Model(call, job, timeline, tags, canReview, canManage, models.Available(), models.MissingModelAdvice, user.IsIn(Roles.Admin));
        }
    }
}
