using CallReview.Web.Features.Calibration;
using static CallReview.Web.Features.Calibration.Agreement;

namespace CallReview.Tests.Web.Features.Calibration;

public sealed class AgreementTests
{
    private static List<Pin> Pins(int reviewer, params double[] seconds) =>
        seconds.Select(s => new Pin(reviewer, (long)(s * 1000), "c")).ToList();

    [Fact]
    public void Compare_PinsWithinFiveSeconds_GivesPrecisionAndRecall()
    {
        // 10↔12 and 40↔41 match; 20 is 8 s from 12 (taken anyway) and 13 s from 33.
        var result = Compare(Pins(1, 10, 20, 40), Pins(2, 12, 33, 41, 60), DefaultToleranceMs);

        Assert.Equal(2, result.Matched);
        Assert.Equal(2.0 / 3, result.Precision!.Value, 6);
        Assert.Equal(0.5, result.Recall!.Value, 6);
        Assert.Equal(2 * (2.0 / 3) * 0.5 / (2.0 / 3 + 0.5), result.F1!.Value, 6);
    }

    [Fact]
    public void Match_IsOneToOne_ClosestPairFirst()
    {
        var matches = Match(Pins(1, 10, 11), Pins(2, 12), DefaultToleranceMs);

        var only = Assert.Single(matches);
        Assert.Equal(11_000, only.A.StartMs);
    }

    [Fact]
    public void Match_ExactlyAtTolerance_Counts_JustBeyond_DoesNot()
    {
        Assert.Single(Match(Pins(1, 10), Pins(2, 15), DefaultToleranceMs));
        Assert.Empty(Match(Pins(1, 10), Pins(2, 15.001), DefaultToleranceMs));
    }

    [Fact]
    public void CohensKappa_TextbookTable_Is0Point4()
    {
        // 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15 → po 0.7, pe 0.5, κ 0.4.
        var items = Enumerable.Repeat(("yes", "yes"), 20).Concat(Enumerable.Repeat(("yes", "no"), 5))
            .Concat(Enumerable.Repeat(("no", "yes"), 10)).Concat(Enumerable.Repeat(("no", "no"), 15)).ToList();

        Assert.Equal(0.4, CohensKappa(items)!.Value, 6);
    }

    [Fact]
    public void CohensKappa_FullAgreementOnOneCategory_IsOne()
    {
        Assert.Equal(1, CohensKappa([("a", "a"), ("a", "a")]));
    }

    [Fact]
    public void FleissKappa_TextbookTable_Is0Point210()
    {
        // Fleiss (1971) example as in the literature: 10 items, 14 raters, 5 categories → κ ≈ 0.210.
        int[][] counts =
        [
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ];
        var items = counts.Select(row => (IReadOnlyList<string>)row.SelectMany((n, category) => Enumerable.Repeat($"c{category}", n)).ToList()).ToList();

        Assert.Equal(0.210, FleissKappa(items)!.Value, 3);
    }

    [Fact]
    public void Categories_ThreeReviewers_UsesOnlyMomentsEveryonePinned()
    {
        var pins = new[]
        {
            new Pin(1, 10_000, "no-empathy"), new Pin(2, 12_000, "no-empathy"), new Pin(3, 9_000, "no-empathy"),
            new Pin(1, 50_000, "rude-tone"), new Pin(2, 51_000, "no-empathy"), new Pin(3, 52_000, "rude-tone"),
            new Pin(1, 90_000, "unresolved"),
        };

        var moments = Moments(pins, DefaultToleranceMs);
        var (items, same, kappa) = Agreement.Categories(moments, [1, 2, 3]);

        Assert.Equal(3, moments.Count);
        Assert.Equal(2, items);
        Assert.Equal(0.5, same);
        // Items [e,e,e] and [r,e,r]: P̄ = (1 + 1/3)/2 = 2/3; p(e) = 4/6, p(r) = 2/6 → P̄e = 5/9; κ = (2/3 − 5/9)/(4/9) = 0.25.
        Assert.Equal(0.25, kappa!.Value, 6);
    }
}
