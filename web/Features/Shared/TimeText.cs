using System.Globalization;

namespace CallReview.Web.Features.Shared;

/// <summary>
/// The one place times are written for people: positions on a call's clock (m:ss.t), call lengths (m:ss) and
/// moments in the calendar (UTC). Data attributes and JSON carry plain seconds instead.
/// </summary>
public static class TimeText
{
    /// <summary>A position on the call's clock: m:ss.t, or h:mm:ss past an hour.</summary>
    public static string Format(long ms)
    {
        var t = TimeSpan.FromMilliseconds(ms);
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}.{t.Milliseconds / 100}");
    }

    public static string Range(long startMs, long? endMs) =>
        endMs is { } end ? $"{Format(startMs)}–{Format(end)}" : Format(startMs);

    /// <summary>A call's length: m:ss, or h:mm:ss past an hour.</summary>
    public static string Duration(long ms)
    {
        var t = TimeSpan.FromMilliseconds(Math.Max(0, ms));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");
    }

    /// <summary>A moment in the calendar, in UTC, to the minute; "—" when unknown.</summary>
    public static string Moment(DateTimeOffset? when) =>
        when?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>A calendar day (UTC); "—" when unknown.</summary>
    public static string Day(DateTimeOffset? when) =>
        when?.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";
}
