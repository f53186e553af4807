using static CallReview.Web.Features.Trends.TrendStats;

namespace CallReview.Web.Features.Trends;

/// <summary>
/// The numbers a trend point can be, each with the formula the explain page shows. Charts, the comparison
/// with the previous period, the explain page and the CSV all compute through <see cref="Compute"/>, so a
/// number means the same thing wherever it appears.
/// </summary>
public static class TrendMetrics
{
    public sealed record Metric(string Code, string Title, string Unit, string Formula, bool HigherIsBetter, bool OverAttempts, bool IsRate, string Pattern = "0.00")
    {
        /// <summary>The value as the reader writes numbers (0,42 in Romanian); the CSV export writes its own.</summary>
        public string Format(double? value) => value is not { } v ? "—"
            : IsRate ? v.ToString("0%", System.Globalization.CultureInfo.CurrentCulture)
            : v.ToString(Pattern, System.Globalization.CultureInfo.CurrentCulture) + Unit;
    }

    public static readonly Metric Unmet = new("unmet", "Unmet needs per reviewed call", "",
        "sum of unmet-need annotations on the reviewed calls ÷ number of reviewed calls (the mean of each call's count; 95% interval from Student's t on those counts)", false, false, false);
    public static readonly Metric Model = new("model", "Model moments per reviewed call", "",
        "sum of model-moment annotations on the reviewed calls ÷ number of reviewed calls (Student's t interval)", true, false, false);
    public static readonly Metric Score = new("score", "QA score", "",
        "mean of the reviewed calls' scorecard scores (0–100, each as scored with its own rubric version; Student's t interval)", true, false, false, "0.0");
    public static readonly Metric AutoFail = new("autofail", "Auto-fail rate", "",
        "reviewed calls whose scorecard auto-failed ÷ reviewed calls (Wilson 95% interval)", false, false, true);
    public static readonly Metric ExerciseScore = new("exercise-score", "Exercise score", "",
        "mean of the attempts' scores (0–100; Student's t interval)", true, true, false, "0.0");
    public static readonly Metric HitRate = new("hit-rate", "Category hit rate", "",
        "learner pins that found an expert moment and named its category ÷ learner pins that found an expert moment (Wilson interval)", true, true, true);
    public static readonly Metric Timing = new("timing", "Timing error", " s",
        "mean of |learner's pin − expert's pin| in seconds over pins that found an expert moment (Student's t interval)", false, true, false, "0.0");

    /// <summary>Formats for numbers that are not trend metrics themselves: a share (shown as %) and a plain number.</summary>
    public static readonly Metric Share = new("share", "Share", "", "", true, false, true);
    public static readonly Metric Plain = new("plain", "Number", "", "", true, false, false);

    public static readonly IReadOnlyList<Metric> All = [Unmet, Model, Score, AutoFail, ExerciseScore, HitRate, Timing];

    public static Metric? Find(string? code) => All.FirstOrDefault(m => m.Code == code);

    /// <summary>One value per evaluation (per call, attempt or pin), the numbers the estimate is made of.</summary>
    /// <remarks>A review's unmet needs already count only the filtered category (SQL applies it); <paramref name="category"/> filters learners' pins.</remarks>
    public static IReadOnlyList<double> Values(Metric metric, IEnumerable<TrendFacts.Review> reviews,
        IEnumerable<TrendFacts.Attempt> attempts, ILookup<int, TrendFacts.Pin> pins, string? category) => metric.Code switch
    {
        "unmet" => reviews.Select(r => (double)r.Unmet).ToList(),
        "model" => reviews.Select(r => (double)r.Model).ToList(),
        "score" => reviews.Select(r => r.Score).ToList(),
        "autofail" => reviews.Select(r => r.AutoFailed ? 1.0 : 0.0).ToList(),
        "exercise-score" => attempts.Select(a => a.Score).ToList(),
        "hit-rate" => PinsOf(attempts, pins, category).Select(p => p.CategoryMatch ? 1.0 : 0.0).ToList(),
        "timing" => PinsOf(attempts, pins, category).Select(p => p.TimingErrorMs / 1000.0).ToList(),
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    /// <summary>
    /// A metric over the reviewed calls from their sums (n, Σx, Σx²; auto-fails), or over the attempts from their values:
    /// the same estimate <see cref="Compute"/> gives over the evaluations one by one.
    /// </summary>
    public static Estimate Of(Metric metric, IEnumerable<TrendFacts.ReviewSums> sums, IEnumerable<TrendFacts.Attempt> attempts,
        ILookup<int, TrendFacts.Pin> pins, string? category)
    {
        if (metric.OverAttempts)
            return Compute(metric, Values(metric, [], attempts, pins, category));
        var list = sums as IReadOnlyCollection<TrendFacts.ReviewSums> ?? sums.ToList();
        var n = list.Sum(s => s.N);
        return metric.Code switch
        {
            "unmet" => MeanFromSums(n, list.Sum(s => (double)s.UnmetSum), list.Sum(s => (double)s.UnmetSquares)),
            "model" => MeanFromSums(n, list.Sum(s => (double)s.ModelSum), list.Sum(s => (double)s.ModelSquares)),
            "score" => MeanFromSums(n, list.Sum(s => s.ScoreSum), list.Sum(s => s.ScoreSquares)),
            "autofail" => Proportion(list.Sum(s => s.AutoFails), n),
            _ => throw new ArgumentOutOfRangeException(nameof(metric)),
        };
    }

    public static Estimate Compute(Metric metric, IReadOnlyList<double> values) =>
        metric.IsRate ? Proportion(values.Count(v => v > 0.5), values.Count) : Mean(values);

    public static Change Difference(Metric metric, Estimate current, Estimate previous) =>
        metric.IsRate ? DifferenceOfProportions(current, previous) : DifferenceOfMeans(current, previous);

    private static IEnumerable<TrendFacts.Pin> PinsOf(IEnumerable<TrendFacts.Attempt> attempts, ILookup<int, TrendFacts.Pin> pins, string? category) =>
        attempts.SelectMany(a => pins[a.Id]).Where(p => category is null || p.CategoryCode == category);
}
