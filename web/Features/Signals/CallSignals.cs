using CallReview.Db;
using Dapper;

namespace CallReview.Web.Features.Signals;

/// <summary>A call's signals in time order, for the review lane and the API (the caller has already checked the call's access).</summary>
public static class CallSignals
{
    public sealed class Item
    {
        public int Id { get; init; }
        public string RuleCode { get; init; } = "";
        public long StartMs { get; init; }
        public long EndMs { get; init; }
        public double Value { get; init; }
        public double Threshold { get; init; }
        public string? Speaker { get; init; }
        public string Detail { get; init; } = "";
        public string Status { get; init; } = "";
        public int? AnnotationId { get; init; }
        public string? DecidedBy { get; init; }
        public DateTimeOffset? DecidedAt { get; init; }

        public SignalRule Rule => SignalRule.Find(RuleCode) ?? throw new InvalidOperationException($"Unknown signal rule {RuleCode}.");

        /// <summary>"silence 7.4 s &gt; 3 s".</summary>
        public string Explanation => Rule.Explain(Value, Threshold, Detail);
    }

    public sealed class Handler(IDbConnectionFactory db)
    {
        public async Task<IReadOnlyList<Item>> ListAsync(int callId, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            return (await connection.QueryAsync<Item>(
                """
                SELECT s.Id, s.RuleCode, s.StartMs, s.EndMs, s.Value, s.Threshold, s.Speaker, s.Detail, s.Status, s.AnnotationId,
                       u.DisplayName AS DecidedBy, s.DecidedAt
                FROM CallSignal s LEFT JOIN UserAccount u ON u.Id = s.DecidedByUserId
                WHERE s.CallId = @callId ORDER BY s.StartMs, s.Id
                """, new { callId })).ToList();
        }
    }
}
