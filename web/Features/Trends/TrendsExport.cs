using System.Globalization;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CsvHelper;
using Dapper;

namespace CallReview.Web.Features.Trends;

/// <summary>
/// CSV exports with the dashboard's filters: every trend point (<c>/trends/export.csv</c>) and the annotations
/// behind them (<c>/trends/annotations.csv</c>, streamed). Cells that a spreadsheet would run as a formula are escaped.
/// </summary>
public static class TrendsExport
{
    public static readonly CsvWriterOptions Csv = new() { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture };

    private static readonly string[] PointHeader = ["period_start", "period_end", "metric", "category", "category_name", "value", "ci_low", "ci_high", "n", "small_sample", "grouped_by", "time_zone"];
    private static readonly string[] AnnotationHeader = ["call_id", "call", "call_started_at", "agent", "team_at_the_time", "kind", "category", "category_name", "start_seconds", "end_seconds", "severity", "customer_words", "expected", "reviewer", "annotated_at"];

    /// <summary>Text is guarded against formula injection; numbers are written as numbers (a minus sign is not a formula).</summary>
    internal static void Row(CsvWriter csv, params object?[] values)
    {
        foreach (var value in values)
        {
            switch (value)
            {
                case null:
                    csv.WriteField("");
                    break;
                case double d:
                    csv.WriteField(d, "0.######");
                    break;
                case int i:
                    csv.WriteField(i, "");
                    break;
                case DateTimeOffset at:
                    csv.WriteField(at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                    break;
                case bool b:
                    csv.WriteField(b ? "true" : "false");
                    break;
                default:
                    csv.WriteField(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                    break;
            }
        }
        csv.EndRecord();
    }

    /// <summary>The trend points as CSV.</summary>
    public static void WritePoints(Stream output, Dashboard.Model model)
    {
        using var csv = CsvWriter.Create(output, Csv, leaveOpen: true);
        csv.WriteHeader(PointHeader);
        foreach (var p in Points(model))
            Row(csv, p.PeriodStart, p.PeriodEnd, p.Metric, p.Category, p.CategoryName, p.Value, p.Low, p.High, p.N, p.SmallSample, p.GroupedBy, p.TimeZone);
    }

    /// <remarks>Category is the code (for programs), CategoryName the name in the reader's language (for people).</remarks>
    public sealed record PointRow(string PeriodStart, string PeriodEnd, string Metric, string Category, string CategoryName, double? Value, double? Low, double? High, int N, bool SmallSample, string GroupedBy, string TimeZone);

    public sealed class AnnotationRow
    {
        public int CallId { get; init; }
        public string Call { get; init; } = "";
        public DateTimeOffset CallStartedAt { get; init; }
        public string Agent { get; init; } = "";
        public string? Team { get; init; }
        public string Kind { get; init; } = "";
        public string Category { get; init; } = "";
        public string CategoryName { get; init; } = "";
        public double StartSeconds { get; init; }
        public double? EndSeconds { get; init; }
        public int? Severity { get; init; }
        public string Quote { get; init; } = "";
        public string Expected { get; init; } = "";
        public string Reviewer { get; init; } = "";
        public DateTimeOffset AnnotatedAt { get; init; }
    }

    /// <summary>Every point of every line and category bar, as the dashboard computed it.</summary>
    public static IEnumerable<PointRow> Points(Dashboard.Model model)
    {
        var q = model.Query;
        var names = model.Categories.ToDictionary(c => c.Code, c => c.Name);
        string Name(string? code) => code is null ? "" : names.GetValueOrDefault(code, code);
        string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var chart in new[] { model.Unmet, model.ModelMoments, model.Score, model.AutoFail, model.ExerciseScore, model.HitRate, model.Timing })
            for (var i = 0; i < model.Periods.Count; i++)
            {
                var e = chart.Points[i].Estimate;
                yield return new PointRow(Day(model.Periods[i].Start), Day(model.Periods[i].End.AddDays(-1)), chart.Metric.Code, q.Category ?? "", Name(q.Category),
                    e.Value, e.Low, e.High, e.N, e.IsSmall, q.DateBasis, model.TimeZone);
            }
        foreach (var series in model.UnmetByCategory.All)
            for (var i = 0; i < model.Periods.Count; i++)
                yield return new PointRow(Day(model.Periods[i].Start), Day(model.Periods[i].End.AddDays(-1)), "unmet", series.Code, Name(series.Code),
                    series.Values[i], null, null, model.UnmetByCategory.Counts[i], model.UnmetByCategory.Counts[i] < TrendStats.MinSample, q.DateBasis, model.TimeZone);
    }

    public sealed class Handler(IDbConnectionFactory db, IConfiguration configuration, TimeProvider clock)
    {
        /// <summary>Writes the annotations on the reviewed calls in range as CSV; false when the team filter is not the user's.</summary>
        public async Task<bool> WriteAnnotationsAsync(TrendFilter filter, CurrentUser user, Stream output, Action start, CancellationToken ct)
        {
            var zone = Periods.Zone(configuration);
            var query = filter.Resolve(Periods.LocalDay(clock.GetUtcNow(), zone));
            await using var connection = await db.OpenAsync(ct);
            var scope = await TrendScope.ForAsync(user, connection);
            if (query.Team is { } team && !scope.MaySee(team))
                return false;
            var parameters = scope.Parameters(query, zone);
            var rows = connection.QueryUnbufferedAsync<AnnotationRow>(
                $"""
                SELECT a.CallId, c.Title AS Call, {TrendFacts.CallAt} AS CallStartedAt, COALESCE(au.DisplayName, c.AgentName, '') AS Agent,
                       COALESCE((SELECT MIN(t.Name) FROM TeamMembership tm JOIN Team t ON t.Id = tm.TeamId
                                 WHERE tm.UserId = c.AgentUserId AND tm.FromAt <= {TrendFacts.CallAt} AND (tm.ToAt IS NULL OR tm.ToAt > {TrendFacts.CallAt})),
                                (SELECT t2.Name FROM Team t2 WHERE t2.Id = c.TeamId)) AS Team,
                       a.Kind, a.CategoryCode AS Category, {Review.NeedCategories.DisplayName("a.Kind", "n")} AS CategoryName, a.StartMs / 1000.0 AS StartSeconds, a.EndMs / 1000.0 AS EndSeconds, a.Severity,
                       a.Quote, a.Expected, ru.DisplayName AS Reviewer, a.CreatedAt AS AnnotatedAt
                FROM Annotation a
                JOIN Call c ON c.Id = a.CallId
                JOIN NeedCategory n ON n.Code = a.CategoryCode
                JOIN UserAccount ru ON ru.Id = a.AuthorUserId
                LEFT JOIN UserAccount au ON au.Id = c.AgentUserId
                WHERE a.CalibrationSessionId IS NULL AND a.DeletedAt IS NULL
                  AND (@Category IS NULL OR a.CategoryCode = @Category)
                  AND a.CallId IN (SELECT t.CallId {TrendFacts.ReviewedCalls(query, scope)})
                ORDER BY {TrendFacts.CallAt}, a.CallId, a.StartMs
                """, parameters);
            start();
            await using var csv = CsvWriter.Create(output, Csv, leaveOpen: true);
            csv.WriteHeader(AnnotationHeader);
            await foreach (var a in rows.WithCancellation(ct))
            {
                Row(csv, a.CallId, a.Call, a.CallStartedAt, a.Agent, a.Team, a.Kind, a.Category, a.CategoryName, a.StartSeconds, a.EndSeconds, a.Severity, a.Quote, a.Expected, a.Reviewer, a.AnnotatedAt);
                if (csv.RecordCount % 1000 == 0)
                    await csv.FlushAsync(ct);
            }
            return true;
        }
    }
}
