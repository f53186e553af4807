namespace CallReview.Web.Features.Trends;

/// <summary>
/// The arithmetic behind every number on the trends pages, in one place so it is tested once. A mean is taken
/// over the evaluations themselves (never an average of averages) with a Student-t 95% interval; a rate is a
/// count over its evaluations with a Wilson 95% interval, which stays inside 0..1 and is honest for small n.
/// </summary>
public static class TrendStats
{
    /// <summary>Periods with fewer evaluations than this are drawn greyed: shown, never hidden.</summary>
    public const int MinSample = 10;

    /// <summary>A mean or rate with its 95% interval; Low/High are null when n is too small for one.</summary>
    public sealed record Estimate(double? Value, double? Low, double? High, int N, double? Sd = null, int? Successes = null)
    {
        public static readonly Estimate Empty = new(null, null, null, 0);
        public bool IsSmall => N < MinSample;
    }

    /// <summary>This period against the previous one: the change, its 95% interval, and whether the interval excludes 0.</summary>
    public sealed record Change(double? Delta, double? Low, double? High)
    {
        public bool LargerThanNoise => Low is { } l && High is { } h && (l > 0 || h < 0);
    }

    public static Estimate Mean(IReadOnlyCollection<double> values)
    {
        var n = values.Count;
        if (n == 0)
            return Estimate.Empty;
        var mean = values.Average();
        if (n == 1)
            return new Estimate(mean, null, null, 1, null);
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        var half = T975(n - 1) * sd / Math.Sqrt(n);
        return new Estimate(mean, mean - half, mean + half, n, sd);
    }

    /// <summary>The same mean and interval from n, Σx and Σx² (what SQL sums without sending every value).</summary>
    public static Estimate MeanFromSums(int n, double sum, double sumSquares)
    {
        if (n == 0)
            return Estimate.Empty;
        var mean = sum / n;
        if (n == 1)
            return new Estimate(mean, null, null, 1, null);
        var sd = Math.Sqrt(Math.Max(0, (sumSquares - n * mean * mean) / (n - 1)));
        var half = T975(n - 1) * sd / Math.Sqrt(n);
        return new Estimate(mean, mean - half, mean + half, n, sd);
    }

    /// <summary>Wilson score interval for successes out of n.</summary>
    public static Estimate Proportion(int successes, int n)
    {
        if (n == 0)
            return Estimate.Empty;
        const double z = 1.959964;
        var p = (double)successes / n;
        var denominator = 1 + z * z / n;
        var centre = (p + z * z / (2 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
        return new Estimate(p, Math.Max(0, centre - half), Math.Min(1, centre + half), n, null, successes);
    }

    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
            return null;
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Welch's difference of two means (current − previous) with a 95% interval.</summary>
    public static Change DifferenceOfMeans(Estimate current, Estimate previous)
    {
        if (current.Value is not { } a || previous.Value is not { } b)
            return new Change(null, null, null);
        if (current.Sd is not { } sa || previous.Sd is not { } sb)
            return new Change(a - b, null, null);
        double va = sa * sa / current.N, vb = sb * sb / previous.N;
        var se = Math.Sqrt(va + vb);
        if (se == 0)
            return new Change(a - b, a - b, a - b);
        var df = (va + vb) * (va + vb) / (va * va / (current.N - 1) + vb * vb / (previous.N - 1));
        var half = T975((int)Math.Floor(df)) * se;
        return new Change(a - b, a - b - half, a - b + half);
    }

    /// <summary>Difference of two proportions (current − previous) with a Newcombe (Wilson-based) 95% interval.</summary>
    public static Change DifferenceOfProportions(Estimate current, Estimate previous)
    {
        if (current is not { Value: { } p1, Low: { } l1, High: { } u1 } || previous is not { Value: { } p2, Low: { } l2, High: { } u2 })
            return new Change(null, null, null);
        var d = p1 - p2;
        return new Change(d, d - Math.Sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2)), d + Math.Sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2)));
    }

    private static readonly double[] TTable =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>The 97.5% quantile of Student's t: exact to three decimals up to 30 degrees of freedom, then 1.96 + 2.4/df.</summary>
    public static double T975(int df) =>
        df < 1 ? double.NaN : df <= TTable.Length ? TTable[df - 1] : 1.959964 + 2.4 / df;
}
