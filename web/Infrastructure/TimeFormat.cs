using System.Globalization;

namespace CallReview.Web.Infrastructure;

/// <summary>The one place positions on a call's clock are formatted for people and for the browser.</summary>
public static class TimeFormat
{
    /// <summary>"m:ss", or "h:mm:ss" past an hour.</summary>
    public static string Clock(long milliseconds)
    {
        var t = TimeSpan.FromMilliseconds(Math.Max(0, milliseconds));
        return t.TotalHours >= 1
            ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}"
            : $"{t.Minutes}:{t.Seconds:00}";
    }

    /// <summary>Seconds as an invariant decimal, for data attributes and JSON built by hand.</summary>
    public static string Seconds(long milliseconds) => (milliseconds / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Seconds as a number for JSON: milliseconds are the stored unit.</summary>
    public static double ToSeconds(long milliseconds) => milliseconds / 1000.0;

    public static string Moment(DateTimeOffset? when) => when?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "—";
}
