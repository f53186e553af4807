using CallReview.Web.Features.Trends;

namespace CallReview.Tests.Web.Features.Trends;

public sealed class TrendStatsTests
{
    [Fact]
    public void Mean_OfKnownValues_GivesStudentTInterval()
    {
        var e = TrendStats.Mean([2, 4, 4, 4, 5, 5, 7, 9]);
        Assert.Equal(5, e.Value);
        Assert.Equal(8, e.N);
        // s = sqrt(32/7) = 2.13809; t(0.975, 7) = 2.365; half = 2.365 * 2.13809 / sqrt(8) = 1.78777
        Assert.Equal(2.13809, e.Sd!.Value, 5);
        Assert.Equal(5 - 1.78777, e.Low!.Value, 4);
        Assert.Equal(5 + 1.78777, e.High!.Value, 4);
        Assert.True(e.IsSmall);
    }

    [Fact]
    public void Mean_OfOneValue_HasNoInterval_AndNoValuesIsEmpty()
    {
        Assert.Equal(new TrendStats.Estimate(3, null, null, 1, null), TrendStats.Mean([3]));
        Assert.Null(TrendStats.Mean([]).Value);
    }

    [Fact]
    public void Proportion_GivesWilsonInterval_InsideZeroAndOne()
    {
        var e = TrendStats.Proportion(8, 10);
        Assert.Equal(0.8, e.Value);
        Assert.Equal(0.4902, e.Low!.Value, 3);
        Assert.Equal(0.9433, e.High!.Value, 3);
        var none = TrendStats.Proportion(0, 12);
        Assert.Equal(0, none.Low);
        Assert.Equal(0.2425, none.High!.Value, 3);
        Assert.False(none.IsSmall);
    }

    [Fact]
    public void DifferenceOfMeans_FarApart_IsLargerThanNoise_CloseIsNot()
    {
        var before = TrendStats.Mean(Enumerable.Repeat(new[] { 2.0, 3.0, 4.0 }, 10).SelectMany(x => x).ToList());
        var after = TrendStats.Mean(Enumerable.Repeat(new[] { 0.0, 1.0, 2.0 }, 10).SelectMany(x => x).ToList());
        var change = TrendStats.DifferenceOfMeans(after, before);
        Assert.Equal(-2, change.Delta!.Value, 9);
        Assert.True(change.LargerThanNoise);
        // Welch: se = sqrt(2 * (0.6897/30)) = 0.21443, df = 58, t = 1.96 + 2.4/58; half ≈ 0.4291
        Assert.Equal(-2 - 0.4291, change.Low!.Value, 3);

        var same = TrendStats.DifferenceOfMeans(TrendStats.Mean([1, 2, 3]), TrendStats.Mean([1.5, 2.5, 3.5]));
        Assert.False(same.LargerThanNoise);
    }

    [Fact]
    public void DifferenceOfProportions_UsesNewcombeInterval()
    {
        var change = TrendStats.DifferenceOfProportions(TrendStats.Proportion(45, 50), TrendStats.Proportion(25, 50));
        Assert.Equal(0.4, change.Delta!.Value, 9);
        Assert.True(change.LargerThanNoise);
        Assert.InRange(change.Low!.Value, 0.22, 0.26);
        Assert.False(TrendStats.DifferenceOfProportions(TrendStats.Proportion(5, 10), TrendStats.Proportion(6, 10)).LargerThanNoise);
    }

    [Fact]
    public void Median_OddAndEven()
    {
        Assert.Equal(3, TrendStats.Median([5, 1, 3]));
        Assert.Equal(2.5, TrendStats.Median([4, 1, 3, 2]));
        Assert.Null(TrendStats.Median([]));
    }

    [Fact]
    public void Streaks_CountDaysInARow_EndingTodayOrYesterday()
    {
        var d = new DateOnly(2026, 3, 10);
        var (current, longest) = Dashboard.Streaks([d.AddDays(-1), d.AddDays(-2), d.AddDays(-3), d.AddDays(-7), d.AddDays(-8), d.AddDays(-9), d.AddDays(-10)], d);
        Assert.Equal(3, current);
        Assert.Equal(4, longest);
        Assert.Equal(0, Dashboard.Streaks([d.AddDays(-2)], d).Current);
    }
}

public sealed class PeriodsTests
{
    [Fact]
    public void Weeks_StartOnMonday_MonthsOnTheFirst()
    {
        Assert.Equal(new DateOnly(2026, 3, 2), Periods.StartOf(new DateOnly(2026, 3, 8), "week"));
        Assert.Equal(new DateOnly(2026, 3, 9), Periods.StartOf(new DateOnly(2026, 3, 9), "week"));
        Assert.Equal(new DateOnly(2026, 2, 1), Periods.StartOf(new DateOnly(2026, 2, 28), "month"));
        var weeks = Periods.Between(new DateOnly(2026, 3, 4), new DateOnly(2026, 3, 16), "week");
        Assert.Equal([new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 9), new DateOnly(2026, 3, 16)], weeks.Select(w => w.Start));
        Assert.True(weeks[0].Contains(new DateOnly(2026, 3, 8)));
        Assert.False(weeks[0].Contains(new DateOnly(2026, 3, 9)));
    }

    [Fact]
    public void LocalDay_UsesTheReportingTimeZone_AcrossMidnightAndDaylightSaving()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        // Monday 03:30 UTC is still Sunday evening in New York: the call belongs to the previous week there.
        var at = new DateTimeOffset(2026, 3, 9, 3, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2026, 3, 9), Periods.LocalDay(at, TimeZoneInfo.Utc));
        Assert.Equal(new DateOnly(2026, 3, 8), Periods.LocalDay(at, newYork));
        Assert.Equal(new DateOnly(2026, 3, 2), Periods.StartOf(Periods.LocalDay(at, newYork), "week"));
        // Clocks went forward on 8 March 2026: that day starts at 05:00 UTC, the next at 04:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 5, 0, 0, TimeSpan.Zero), Periods.StartInstant(new DateOnly(2026, 3, 8), newYork));
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 4, 0, 0, TimeSpan.Zero), Periods.StartInstant(new DateOnly(2026, 3, 9), newYork));
    }

    [Fact]
    public void Filter_Defaults_AreTwelveWholeWeeksAndThisOne_ByCallDate()
    {
        var q = new TrendFilter().Resolve(new DateOnly(2026, 3, 11));
        Assert.Equal(new DateOnly(2025, 12, 15), q.From);
        Assert.Equal(new DateOnly(2026, 3, 11), q.To);
        Assert.Equal(("week", "call"), (q.By, q.DateBasis));
        Assert.Equal(13, Periods.Between(q.From, q.To, q.By).Count);
        Assert.Equal("/trends?team=3&from=2025-12-15&to=2026-03-11&by=week&date=call&metric=unmet", (q with { Team = 3 }).Url("/trends", new { metric = "unmet" }));
    }
}
