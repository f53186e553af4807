using CallReview.Db;
using CallReview.Web.Features.Trends;
using CsvHelper;
using Dapper;

namespace CallReview.Web.Features.Audit;

/// <summary>Admins search the audit trail by who, what, which resource and dates, newest first, and export it.</summary>
public static class AuditSearch
{
    public const int PageLimit = 500;

    public sealed class Filter
    {
        // Not "Action": MVC binds the route's action name to a property of that name.
        public string? Who { get; set; }
        public string? What { get; set; }
        public string? Resource { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
    }

    public sealed record Model(Filter Filter, IReadOnlyList<AuditEntry> Entries, bool MoreThanShown);

    private static readonly string[] Header = ["id", "at_utc", "user_id", "actor", "action", "resource_type", "resource_id", "detail", "source_address", "previous_hash", "hash"];

    public sealed class Handler(IDbConnectionFactory db)
    {
        /// <summary>The newest entries that match, at most <paramref name="limit"/>.</summary>
        public async Task<IReadOnlyList<AuditEntry>> FindAsync(Filter filter, int limit, CancellationToken ct)
        {
            var where = new List<string>();
            if (!string.IsNullOrWhiteSpace(filter.Who))
                where.Add(db.Dialect.Contains("Actor", "@Who"));
            if (!string.IsNullOrWhiteSpace(filter.What))
                where.Add(db.Dialect.Contains("Action", "@What"));
            if (!string.IsNullOrWhiteSpace(filter.Resource))
                where.Add($"({db.Dialect.Contains("ResourceType", "@Resource")} OR ResourceId = @Resource OR {db.Dialect.Contains("Detail", "@Resource")})");
            if (filter.From is not null)
                where.Add("At >= @FromAt");
            if (filter.To is not null)
                where.Add("At < @ToAt");
            await using var connection = await db.OpenAsync(ct);
            return (await connection.QueryAsync<AuditEntry>(
                $"""
                SELECT Id, At, UserId, Actor, Action, ResourceType, ResourceId, Detail, SourceAddress, PreviousHash, Hash FROM AuditEntry
                {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))}
                ORDER BY Id DESC {db.Dialect.Page}
                """,
                new
                {
                    Who = filter.Who?.Trim(), What = filter.What?.Trim(), Resource = filter.Resource?.Trim(),
                    FromAt = filter.From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null,
                    ToAt = filter.To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null,
                    Offset = 0, Limit = limit,
                })).ToList();
        }

        public async Task<Model> LoadAsync(Filter filter, CancellationToken ct)
        {
            var entries = await FindAsync(filter, PageLimit + 1, ct);
            return new Model(filter, entries.Take(PageLimit).ToList(), entries.Count > PageLimit);
        }

        /// <summary>Every matching entry as CSV, hashes included so the export can be checked against the chain.</summary>
        public async Task WriteCsvAsync(Filter filter, Stream output, CancellationToken ct)
        {
            var entries = await FindAsync(filter, int.MaxValue, ct);
            using var csv = CsvWriter.Create(output, TrendsExport.Csv, leaveOpen: true);
            csv.WriteHeader(Header);
            foreach (var e in entries)
                TrendsExport.Row(csv, e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), e.At, e.UserId, e.Actor, e.Action,
                    e.ResourceType, e.ResourceId, e.Detail, e.SourceAddress, e.PreviousHash, e.Hash);
        }
    }
}
