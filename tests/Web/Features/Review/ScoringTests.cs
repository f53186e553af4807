using CallReview.Web.Features.Review;

namespace CallReview.Tests.Web.Features.Review;

public sealed class ScoringTests
{
    private static readonly Scoring.Criterion[] Rubric =
    [
        new() { Id = 1, Title = "Knowledge", Scale = "points", MaxPoints = 4, Weight = 3 },
        new() { Id = 2, Title = "No harmful info", Scale = "yesno", MaxPoints = 1, Weight = 1, IsAutoFail = true },
        new() { Id = 3, Title = "Empathy", Scale = "points", MaxPoints = 4, Weight = 2 },
    ];

    [Fact]
    public void Compute_WeightedShareOfMaxPoints_AsPercent()
    {
        // (3·3/4 + 1·1 + 2·2/4) / (3 + 1 + 2) = (2.25 + 1 + 1) / 6 = 70.8 %
        var outcome = Scoring.Compute(Rubric, new Dictionary<int, int?> { [1] = 3, [2] = 1, [3] = 2 });

        Assert.Equal(70.8, outcome.Score);
        Assert.False(outcome.AutoFailed);
    }

    [Fact]
    public void Compute_AutoFailCriterionAnsweredNo_ScoresZero()
    {
        var outcome = Scoring.Compute(Rubric, new Dictionary<int, int?> { [1] = 4, [2] = 0, [3] = 4 });

        Assert.Equal(0, outcome.Score);
        Assert.True(outcome.AutoFailed);
    }

    [Fact]
    public void Compute_NotApplicable_LeavesTheCriterionOut()
    {
        // Empathy n/a: (3·4/4 + 1·1) / (3 + 1) = 100 %
        var outcome = Scoring.Compute(Rubric, new Dictionary<int, int?> { [1] = 4, [2] = 1, [3] = null });

        Assert.Equal(100, outcome.Score);
    }

    [Fact]
    public void Compute_PointsAboveMax_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Scoring.Compute(Rubric, new Dictionary<int, int?> { [1] = 5 }));
    }
}
