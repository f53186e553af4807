using System.Globalization;

namespace CallReview.Web.Features.Calls;

/// <summary>
/// CPU time (user + system) of this process and of the child processes it has waited for (ffmpeg, whisper-cli), from
/// /proc/self/stat: on a machine others are busy on, wall time says more about their load than about the work.
/// Zero where there is no /proc (the figures are then left at zero, not guessed).
/// </summary>
internal static class CpuTime
{
    /// <summary>Linux's USER_HZ: /proc reports times in hundredths of a second.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>This process's threads so far, with every child process it has waited for.</summary>
    public static TimeSpan OfSelfAndChildren() => Read(self: true);

    /// <summary>Child processes waited for so far.</summary>
    public static TimeSpan OfChildren() => Read(self: false);

    private static TimeSpan Read(bool self)
    {
        const string stat = "/proc/self/stat";
        if (!File.Exists(stat))
            return TimeSpan.Zero;
        // Fields after the command name (which may hold spaces, so it is skipped by its closing parenthesis):
        // state is field 3, utime 14, stime 15, cutime 16, cstime 17.
        var text = File.ReadAllText(stat);
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        double Field(int number) => double.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        var ticks = Field(16) + Field(17) + (self ? Field(14) + Field(15) : 0);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
