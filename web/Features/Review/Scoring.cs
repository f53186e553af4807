namespace CallReview.Web.Features.Review;

/// <summary>
/// Scorecard arithmetic, on the server only: each answered criterion contributes weight × points/max; the
/// score is that sum over the answered criteria's weights, as a percentage. Not-applicable answers (null) are
/// left out. An auto-fail criterion answered 0 ("no") makes the whole score 0.
/// </summary>
public static class Scoring
{
    public sealed record Criterion
    {
        public int Id { get; init; }
        public int RubricVersionId { get; init; }
        public string Section { get; init; } = "";
        public string Title { get; init; } = "";
        public string Guidance { get; init; } = "";
        /// <summary>'points' (0..MaxPoints) or 'yesno' (MaxPoints 1).</summary>
        public string Scale { get; init; } = "points";
        public int MaxPoints { get; init; }
        public double Weight { get; init; }
        public bool IsAutoFail { get; init; }
        public int SortOrder { get; init; }
    }

    public sealed record Outcome(double Score, bool AutoFailed);

    public static Outcome Compute(IReadOnlyList<Criterion> criteria, IReadOnlyDictionary<int, int?> points)
    {
        double weighted = 0, weights = 0;
        var autoFailed = false;
        foreach (var criterion in criteria)
        {
            if (!points.TryGetValue(criterion.Id, out var answer) || answer is not { } value)
                continue;
            if (value < 0 || value > criterion.MaxPoints)
                throw new ArgumentOutOfRangeException(nameof(points), $"{criterion.Title}: {value} is outside 0–{criterion.MaxPoints}.");
            if (criterion.IsAutoFail && value == 0)
                autoFailed = true;
            weighted += criterion.Weight * value / criterion.MaxPoints;
            weights += criterion.Weight;
        }
        if (autoFailed)
            return new Outcome(0, true);
        return new Outcome(weights == 0 ? 0 : Math.Round(100 * weighted / weights, 1), false);
    }
}
