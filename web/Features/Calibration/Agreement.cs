namespace CallReview.Web.Features.Calibration;

/// <summary>
/// How far reviewers agree. <b>When</b>: pins matched one-to-one within a tolerance (closest pairs first),
/// giving precision/recall against a reference reviewer. <b>What</b>: pins of all reviewers grouped into
/// moments; on the moments every reviewer pinned, the share of identical categories and chance-corrected
/// agreement (Cohen's kappa for two reviewers, Fleiss' kappa for more).
/// </summary>
public static class Agreement
{
    public const long DefaultToleranceMs = 5000;

    public sealed record Pin(int Reviewer, long StartMs, string Category);

    public sealed record PrecisionRecall(int Matched, int Pins, int ReferencePins)
    {
        public double? Precision => Pins == 0 ? null : (double)Matched / Pins;
        public double? Recall => ReferencePins == 0 ? null : (double)Matched / ReferencePins;
        public double? F1 => Precision is { } p && Recall is { } r && p + r > 0 ? 2 * p * r / (p + r) : null;
    }

    /// <summary>One-to-one matches within the tolerance, closest pairs first.</summary>
    public static IReadOnlyList<(Pin A, Pin B)> Match(IReadOnlyList<Pin> a, IReadOnlyList<Pin> b, long toleranceMs)
    {
        var candidates = new List<(int I, int J, long Distance)>();
        for (var i = 0; i < a.Count; i++)
            for (var j = 0; j < b.Count; j++)
            {
                var distance = Math.Abs(a[i].StartMs - b[j].StartMs);
                if (distance <= toleranceMs)
                    candidates.Add((i, j, distance));
            }
        var usedA = new HashSet<int>();
        var usedB = new HashSet<int>();
        var matches = new List<(Pin, Pin)>();
        foreach (var (i, j, _) in candidates.OrderBy(c => c.Distance).ThenBy(c => c.I).ThenBy(c => c.J))
        {
            if (usedA.Contains(i) || usedB.Contains(j))
                continue;
            usedA.Add(i);
            usedB.Add(j);
            matches.Add((a[i], b[j]));
        }
        return matches;
    }

    public static PrecisionRecall Compare(IReadOnlyList<Pin> pins, IReadOnlyList<Pin> reference, long toleranceMs) =>
        new(Match(pins, reference, toleranceMs).Count, pins.Count, reference.Count);

    /// <summary>
    /// Groups every reviewer's pins into moments: a pin joins the nearest moment (by its first pin) within
    /// the tolerance that has no pin of the same reviewer yet, or starts a new one.
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<int, Pin>> Moments(IEnumerable<Pin> pins, long toleranceMs)
    {
        var moments = new List<(long Anchor, Dictionary<int, Pin> Pins)>();
        foreach (var pin in pins.OrderBy(p => p.StartMs).ThenBy(p => p.Reviewer))
        {
            var best = moments.Where(m => !m.Pins.ContainsKey(pin.Reviewer) && Math.Abs(m.Anchor - pin.StartMs) <= toleranceMs)
                .OrderBy(m => Math.Abs(m.Anchor - pin.StartMs)).Select(m => m.Pins).FirstOrDefault();
            if (best is null)
                moments.Add((pin.StartMs, new Dictionary<int, Pin> { [pin.Reviewer] = pin }));
            else
                best[pin.Reviewer] = pin;
        }
        return moments.Select(m => (IReadOnlyDictionary<int, Pin>)m.Pins).ToList();
    }

    /// <summary>Cohen's kappa for two raters' labels on the same items; null without items.</summary>
    public static double? CohensKappa(IReadOnlyList<(string A, string B)> items)
    {
        if (items.Count == 0)
            return null;
        double n = items.Count;
        var observed = items.Count(x => x.A == x.B) / n;
        var expected = items.Select(x => x.A).Concat(items.Select(x => x.B)).Distinct()
            .Sum(c => items.Count(x => x.A == c) / n * (items.Count(x => x.B == c) / n));
        return expected >= 1 ? (observed >= 1 ? 1 : 0) : (observed - expected) / (1 - expected);
    }

    /// <summary>Fleiss' kappa; each item holds one label per rater, every item the same number of raters (≥ 2).</summary>
    public static double? FleissKappa(IReadOnlyList<IReadOnlyList<string>> items)
    {
        if (items.Count == 0)
            return null;
        var raters = items[0].Count;
        if (raters < 2 || items.Any(i => i.Count != raters))
            throw new ArgumentException("Every item needs the same number of raters, at least two.", nameof(items));
        var categories = items.SelectMany(i => i).Distinct().ToList();
        double n = raters, total = items.Count * n;
        var agreement = items.Average(item => (categories.Sum(c => Math.Pow(item.Count(x => x == c), 2)) - n) / (n * (n - 1)));
        var expected = categories.Sum(c => Math.Pow(items.Sum(item => item.Count(x => x == c)) / total, 2));
        return expected >= 1 ? (agreement >= 1 ? 1 : 0) : (agreement - expected) / (1 - expected);
    }

    /// <summary>Kappa on the moments every reviewer pinned: Cohen's for two reviewers, Fleiss' for more.</summary>
    public static (int Items, double? PercentSame, double? Kappa) Categories(IReadOnlyList<IReadOnlyDictionary<int, Pin>> moments, IReadOnlyList<int> reviewers)
    {
        var complete = moments.Where(m => reviewers.All(m.ContainsKey)).Select(m => reviewers.Select(r => m[r].Category).ToList()).ToList();
        if (complete.Count == 0 || reviewers.Count < 2)
            return (complete.Count, null, null);
        var same = complete.Count(labels => labels.Distinct().Count() == 1) / (double)complete.Count;
        var kappa = reviewers.Count == 2
            ? CohensKappa(complete.Select(l => (l[0], l[1])).ToList())
            : FleissKappa(complete.Select(l => (IReadOnlyList<string>)l).ToList());
        return (complete.Count, same, kappa);
    }
}
