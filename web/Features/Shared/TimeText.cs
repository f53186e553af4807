using System.Globalization;

namespace CallReview.Web.Features.Shared;

/// <summary>
/// The one place times are written for people: positions on a call's clock (m:ss.t), call lengths (m:ss) and
/// moments in the calendar (UTC), in the reader's culture: its decimal separator and date pattern (English keeps
/// the unambiguous yyyy-MM-dd). Data attributes and JSON carry plain seconds instead.
/// </summary>
public static class TimeText
{
    /// <summary>A position on the call's clock: m:ss.t, or h:mm:ss past an hour.</summary>
    public static string Format(long ms)
    {
        var t = TimeSpan.FromMilliseconds(ms);
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}{CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator}{t.Milliseconds / 100}");
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
    public static string Moment(DateTimeOffset? when) => when?.ToUniversalTime() is not { } utc ? "—"
        : IsoCulture ? utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
        : utc.ToString("g", CultureInfo.CurrentCulture) + " UTC";

    /// <summary>A calendar day (UTC); "—" when unknown.</summary>
    public static string Day(DateTimeOffset? when) =>
        when?.ToUniversalTime().ToString(IsoCulture ? "yyyy-MM-dd" : "d", IsoCulture ? CultureInfo.InvariantCulture : CultureInfo.CurrentCulture) ?? "—";

    /// <summary>A calendar day as <see cref="Day(DateTimeOffset?)"/> writes it.</summary>
    public static string Day(DateOnly day) =>
        day.ToString(IsoCulture ? "yyyy-MM-dd" : "d", IsoCulture ? CultureInfo.InvariantCulture : CultureInfo.CurrentCulture);

    /// <summary>English (and the invariant culture of commands and workers) writes dates as yyyy-MM-dd.</summary>
    private static bool IsoCulture => CultureInfo.CurrentCulture.TwoLetterISOLanguageName is "en" or "iv";
}
