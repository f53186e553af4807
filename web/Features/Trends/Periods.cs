namespace CallReview.Web.Features.Trends;

/// <summary>One bar or point of a trend: the days [Start, End) in the reporting time zone.</summary>
public sealed record Period(DateOnly Start, DateOnly End, string By)
{
    /// <summary>"Mar 2026" or "2 Mar", in the reader's language.</summary>
    public string Label => By == "month" ? Start.ToString("MMM yyyy", System.Globalization.CultureInfo.CurrentCulture)
        : Start.ToString("d MMM", System.Globalization.CultureInfo.CurrentCulture);
    public string Key => Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    public bool Contains(DateOnly day) => day >= Start && day < End;
}

/// <summary>
/// Calendar arithmetic for trends. Weeks start on Monday (ISO 8601), months on the 1st, both in the reporting
/// time zone (<c>CallReview:TimeZone</c>, default UTC): a call at 23:30 on Sunday in Lisbon belongs to that week
/// even though it is Monday in UTC+2.
/// </summary>
public static class Periods
{
    public static DateOnly StartOf(DateOnly day, string by) =>
        by == "month" ? new DateOnly(day.Year, day.Month, 1) : day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public static DateOnly Next(DateOnly start, string by) => by == "month" ? start.AddMonths(1) : start.AddDays(7);

    public static DateOnly Previous(DateOnly start, string by) => by == "month" ? start.AddMonths(-1) : start.AddDays(-7);

    /// <summary>The local calendar day of an instant.</summary>
    public static DateOnly LocalDay(DateTimeOffset at, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    /// <summary>The instant a local day starts (the first valid local time, so a DST gap at midnight is handled).</summary>
    public static DateTimeOffset StartInstant(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(30);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>Every period touching [from, to] (inclusive days); the first and last may be partly outside the range.</summary>
    public static IReadOnlyList<Period> Between(DateOnly from, DateOnly to, string by)
    {
        var periods = new List<Period>();
        for (var start = StartOf(from, by); start <= to; start = Next(start, by))
            periods.Add(new Period(start, Next(start, by), by));
        return periods;
    }

    public static TimeZoneInfo Zone(IConfiguration configuration) =>
        configuration["CallReview:TimeZone"] is { Length: > 0 } id ? TimeZoneInfo.FindSystemTimeZoneById(id) : TimeZoneInfo.Utc;
}
