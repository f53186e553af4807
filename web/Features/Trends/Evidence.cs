using System.Globalization;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Shared;
using Dapper;
using static CallReview.Web.Features.Trends.TrendStats;

namespace CallReview.Web.Features.Trends;

/// <summary>
/// What any trend number is made of (<c>/trends/evidence?metric=…&amp;period=…</c> plus the dashboard's filters):
/// its formula, its inputs (n, sum, mean, spread, the interval's arithmetic), and the evaluations behind it,
/// down to the moments, each opening the call at that second.
/// </summary>
public static class Evidence
{
    /// <summary>The range's days, in the reader's culture ("7 sept. 2026").</summary>
    private const string RangeDayFormat = "d MMM yyyy";

    public sealed record Row(string When, string Who, string What, string? Href, Message Value);

    public sealed class Moment
    {
        public int CallId { get; init; }
        public string Title { get; init; } = "";
        public string AgentName { get; init; } = "";
        public string Kind { get; init; } = "";
        public string CategoryCode { get; init; } = "";
        public string CategoryName { get; init; } = "";
        public long StartMs { get; init; }
        public string Quote { get; init; } = "";
        public string Href { get; set; } = "";
    }

    public sealed class Model
    {
        public required TrendQuery Query { get; init; }
        public required TrendMetrics.Metric Metric { get; init; }
        public required Message RangeText { get; init; }
        public required string? CategoryName { get; init; }
        public required Estimate Estimate { get; init; }
        public required IReadOnlyList<Message> Inputs { get; init; }
        public required IReadOnlyList<Row> Rows { get; init; }
        public required IReadOnlyList<Moment> Moments { get; init; }
        public required bool MomentsCut { get; init; }
    }

    public const int MomentLimit = 300;

    public sealed class Handler(IDbConnectionFactory db, TrendFacts.Handler facts, IConfiguration configuration, TimeProvider clock)
    {
        public async Task<Model?> LoadAsync(TrendFilter filter, string? metricCode, DateOnly? period, CurrentUser user, CancellationToken ct)
        {
            if (TrendMetrics.Find(metricCode) is not { } metric)
                return null;
            var zone = Periods.Zone(configuration);
            var query = filter.Resolve(Periods.LocalDay(clock.GetUtcNow(), zone));
            if (period is { } start)
            {
                var p = new Period(Periods.StartOf(start, query.By), Periods.Next(Periods.StartOf(start, query.By), query.By), query.By);
                query = query with { From = p.Start > query.From ? p.Start : query.From, To = p.End.AddDays(-1) < query.To ? p.End.AddDays(-1) : query.To };
            }
            TrendScope scope;
            string? categoryName;
            await using var connection = await db.OpenAsync(ct);
            scope = await TrendScope.ForAsync(user, connection);
            if (query.Team is { } team && !scope.MaySee(team))
                return null;
            categoryName = query.Category is null ? null
                : await connection.ExecuteScalarAsync<string?>(
                    $"SELECT {ContentNames.Sql(ContentNames.Category, "c.Code", "c.Name")} FROM NeedCategory c WHERE c.Code = @Category", new { query.Category });

            var f = await facts.LoadAsync(query, scope, zone, ct, withReviews: true);
            var pins = f.Pins.ToLookup(p => p.AttemptId);
            var values = TrendMetrics.Values(metric, f.Reviews, f.Attempts, pins, query.Category);
            var estimate = TrendMetrics.Compute(metric, values);

            List<Row> rows;
            if (metric.OverAttempts)
                rows = f.Attempts.OrderBy(a => a.SubmittedAt).Select(a =>
                {
                    var mine = TrendMetrics.Values(metric, [], [a], pins, query.Category);
                    return new Row(Shared.TimeText.Moment(a.SubmittedAt), a.UserName, a.ExerciseTitle, null,
                        metric.Code == "exercise-score" ? new Message("{0}", metric.Format(a.Score))
                            : new Message("{0} pins: {1}", mine.Count, string.Join(", ", mine.Select(v => metric.Format(v)))));
                }).ToList();
            else
                rows = f.Reviews.OrderBy(r => r.Day).ThenBy(r => r.CallId).Select(r => new Row(
                    Shared.TimeText.Day(r.Day), r.AgentName, r.Title, CallAccess.PathFor(user, r.CallId),
                    metric.Code == "score"
                        ? new Message("{0} (rubric v{1})", metric.Format(TrendMetrics.Values(metric, [r], [], pins, query.Category)[0]), r.RubricNumber)
                        : new Message("{0}", metric.Format(TrendMetrics.Values(metric, [r], [], pins, query.Category)[0]))))
                    .ToList();

            IReadOnlyList<Moment> moments = [];
            var cut = false;
            if (metric.Code is "unmet" or "model")
            {
                var found = await MomentsAsync(connection, db.Dialect, query, scope, zone, metric.Code == "unmet" ? "unmet" : "exemplary",
                    metric.Code == "unmet" ? query.Category : null, MomentLimit + 1, user);
                cut = found.Count > MomentLimit;
                moments = found.Take(MomentLimit).ToList();
            }

            return new Model
            {
                Query = query,
                Metric = metric,
                RangeText = new Message("{0} – {1} ({2}), grouped by {3}", query.From.ToString(RangeDayFormat, CultureInfo.CurrentCulture),
                    query.To.ToString(RangeDayFormat, CultureInfo.CurrentCulture), zone.Id, new Message(query.DateBasisText)),
                CategoryName = categoryName,
                Estimate = estimate,
                Inputs = Inputs(metric, values, estimate),
                Rows = rows,
                Moments = moments,
                MomentsCut = cut,
            };
        }
    }

    /// <summary>The annotations of one kind (and category) on the reviewed calls in range, oldest call first, each with its link.</summary>
    public static async Task<IReadOnlyList<Moment>> MomentsAsync(System.Data.Common.DbConnection connection, SqlDialect dialect, TrendQuery query,
        TrendScope scope, TimeZoneInfo zone, string kind, string? category, int limit, CurrentUser user)
    {
        var parameters = scope.Parameters(query, zone);
        parameters.Add("Kind", kind);
        parameters.Add("Category", category);
        parameters.Add("Offset", 0);
        parameters.Add("Limit", limit);
        var found = (await connection.QueryAsync<Moment>(
            $"""
            SELECT a.CallId, c.Title, COALESCE(au.DisplayName, c.AgentName, '') AS AgentName, a.Kind, a.CategoryCode, {Review.NeedCategories.DisplayName("a.Kind", "n")} AS CategoryName, a.StartMs, a.Quote
            FROM Annotation a
            JOIN Call c ON c.Id = a.CallId
            JOIN NeedCategory n ON n.Code = a.CategoryCode
            LEFT JOIN UserAccount au ON au.Id = c.AgentUserId
            WHERE a.CalibrationSessionId IS NULL AND a.DeletedAt IS NULL AND a.Kind = @Kind
              AND (@Category IS NULL OR a.CategoryCode = @Category)
              AND a.CallId IN (SELECT t.CallId {TrendFacts.ReviewedCalls(query, scope)})
            ORDER BY {TrendFacts.CallAt}, a.CallId, a.StartMs
            {dialect.Page}
            """, parameters)).ToList();
        foreach (var m in found)
            m.Href = CallAccess.PathFor(user, m.CallId, m.StartMs);
        return found;
    }

    /// <summary>The arithmetic, written out with this number's own inputs (figures in the reader's culture when said).</summary>
    public static IReadOnlyList<Message> Inputs(TrendMetrics.Metric metric, IReadOnlyList<double> values, Estimate e)
    {
        if (e.N == 0)
            return ["n = 0: nothing to compute."];
        var lines = new List<Message>();
        if (metric.IsRate)
        {
            lines.Add(new Message("successes = {0}, n = {1}, p = {0}/{1} = {2:0.####}", e.Successes, e.N, e.Value!.Value));
            lines.Add(new Message("Wilson 95% interval with z = {0:0.##}: {1:0.####} – {2:0.####}", 1.96, e.Low!.Value, e.High!.Value));
        }
        else
        {
            lines.Add(new Message("n = {0}, sum = {1:0.####}, mean = sum / n = {2:0.####}", e.N, values.Sum(), e.Value!.Value));
            if (e.Sd is { } sd)
            {
                var t = T975(e.N - 1);
                lines.Add(new Message("standard deviation s = {0:0.####}, t(0.975, {1}) = {2:0.####}, half-width = t·s/√n = {3:0.####}", sd, e.N - 1, t, t * sd / Math.Sqrt(e.N)));
                lines.Add(new Message("95% interval: {0:0.####} – {1:0.####}", e.Low!.Value, e.High!.Value));
            }
            else
                lines.Add("One evaluation: no interval.");
        }
        if (e.IsSmall)
            lines.Add(new Message("Fewer than {0} evaluations: shown greyed; read it as a hint, not a trend.", MinSample));
        return lines;
    }
}
