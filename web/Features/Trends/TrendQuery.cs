using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;

namespace CallReview.Web.Features.Trends;

/// <summary>
/// The dashboard's filters as they arrive in the URL (<c>?team=&amp;agent=&amp;category=&amp;from=&amp;to=&amp;by=week|month&amp;date=call|review</c>),
/// so a view can be bookmarked and shared.
/// </summary>
public sealed class TrendFilter
{
    public int? Team { get; set; }
    public int? Agent { get; set; }
    public string? Category { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public string? By { get; set; }
    public string? Date { get; set; }

    /// <summary>Fills the gaps: by week, grouped by call date, the last 12 whole weeks and this one.</summary>
    public TrendQuery Resolve(DateOnly today)
    {
        var by = By == "month" ? "month" : "week";
        var to = To ?? today;
        var from = From ?? (by == "month" ? Periods.StartOf(to, by).AddMonths(-5) : Periods.StartOf(to, by).AddDays(-7 * 12));
        if (from > to)
            (from, to) = (to, from);
        return new TrendQuery(Team, Agent, string.IsNullOrWhiteSpace(Category) ? null : Category.Trim(), from, to, by, Date == "review" ? "review" : "call");
    }
}

/// <summary>The filters with every default applied; <see cref="Url"/> writes them back as a link.</summary>
public sealed record TrendQuery(int? Team, int? Agent, string? Category, DateOnly From, DateOnly To, string By, string DateBasis)
{
    public string DateBasisText => DateBasis == "review" ? "the date the call was reviewed" : "the date the call took place";

    public string Url(string path, object? extra = null)
    {
        var query = new QueryBuilder();
        if (Team is { } team)
            query.Add("team", team.ToString(CultureInfo.InvariantCulture));
        if (Agent is { } agent)
            query.Add("agent", agent.ToString(CultureInfo.InvariantCulture));
        if (Category is { } category)
            query.Add("category", category);
        query.Add("from", From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        query.Add("to", To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        query.Add("by", By);
        query.Add("date", DateBasis);
        if (extra is not null)
            foreach (var property in extra.GetType().GetProperties())
                if (property.GetValue(extra) is { } value)
                    query.Add(property.Name, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
        return path + query.ToQueryString();
    }
}
