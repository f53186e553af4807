using CallReview.Web.Features.Practice;
using static CallReview.Web.Features.Practice.AttemptScoring;

namespace CallReview.Tests.Web.Features.Practice;

public sealed class AttemptScoringTests
{
    private static readonly Rules Spot = new(4000, 15000, [], 0, null);

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(4000, 1.0)]
    [InlineData(-4000, 1.0)]
    [InlineData(9500, 0.5)]
    [InlineData(-9500, 0.5)]
    [InlineData(12250, 0.25)]
    [InlineData(15000, 0.0)]
    [InlineData(60000, 0.0)]
    public void TimingCredit_AlongTheCurve_FullInsideToleranceThenLinearToZero(long distanceMs, double expected)
    {
        Assert.Equal(expected, TimingCredit(distanceMs, 4000, 15000), 6);
    }

    [Fact]
    public void Distance_InsideARangeAnswer_IsZero_OutsideIsToTheNearestEdge()
    {
        var answer = new Answer(1, "a", 10_000, 14_000, "x");
        Assert.Equal(0, Distance(12_000, answer));
        Assert.Equal(2_000, Distance(8_000, answer));
        Assert.Equal(3_000, Distance(17_000, answer));
    }

    [Fact]
    public void Score_ExactPinRightCategory_Perfect()
    {
        var result = Score(Spot, [new Answer(1, "a", 20_000, null, "no-empathy")], [new Pin("a", 21_000, "no-empathy")], "", null);
        Assert.Equal(100, result.Score);
        Assert.Equal(1, result.Pins[0].AnswerId);
        Assert.True(result.Pins[0].CategoryMatch);
    }

    [Fact]
    public void Score_RightTimeWrongCategory_KeepsTimingLosesCategory()
    {
        var result = Score(Spot, [new Answer(1, "a", 20_000, null, "no-empathy")], [new Pin("a", 20_000, "rude-tone")], "", null);
        Assert.Equal(1, result.Timing);
        Assert.Equal(0, result.Category);
        Assert.Equal(Weights.Spot.Timing + Weights.Spot.Critique, result.Score);
    }

    [Fact]
    public void Score_PinBeyondOuterBound_MatchesNothingAndCountsAsExtra()
    {
        var result = Score(Spot, [new Answer(1, "a", 20_000, null, "no-empathy")], [new Pin("a", 40_000, "no-empathy")], "", null);
        Assert.Null(result.Pins[0].AnswerId);
        Assert.Equal(1, result.ExtraPins);
        Assert.Equal([1], result.MissedAnswerIds);
        Assert.Equal(Weights.Spot.Critique, result.Score);
    }

    [Fact]
    public void Score_TwoPinsNearOneAnswer_OnlyTheBetterOneMatches()
    {
        var result = Score(Spot, [new Answer(1, "a", 20_000, null, "no-empathy")],
            [new Pin("a", 26_000, "no-empathy"), new Pin("a", 20_500, "no-empathy")], "", null);
        Assert.Null(result.Pins[0].AnswerId);
        Assert.Equal(1, result.Pins[1].AnswerId);
        Assert.Equal(1, result.ExtraPins);
        var penalty = ExtraPinPenalty * (Weights.Spot.Timing + Weights.Spot.Category);
        Assert.Equal(100 - penalty, result.Score, 6);
    }

    [Fact]
    public void Score_TwoAnswersTwoPins_MatchedOneToOneByCategoryAndTime()
    {
        Answer[] answers = [new(1, "a", 10_000, null, "no-empathy"), new(2, "a", 16_000, null, "rude-tone")];
        // The first pin is nearer answer 2 in time but carries answer 1's category; each answer gets its own pin.
        var result = Score(Spot, answers, [new Pin("a", 14_000, "no-empathy"), new Pin("a", 16_500, "rude-tone")], "", null);
        Assert.Equal(1, result.Pins[0].AnswerId);
        Assert.Equal(2, result.Pins[1].AnswerId);
        Assert.Equal(0, result.ExtraPins);
        Assert.Equal(1, result.Category);
        Assert.Equal(100, result.Score);
    }

    [Fact]
    public void Score_OneOfTwoAnswersFound_HalfOfThePinParts()
    {
        Answer[] answers = [new(1, "a", 10_000, null, "no-empathy"), new(2, "a", 60_000, null, "rude-tone")];
        var result = Score(Spot, answers, [new Pin("a", 10_000, "no-empathy")], "", null);
        Assert.Equal(0.5, result.Timing);
        Assert.Equal(0.5, result.Category);
        Assert.Equal([2], result.MissedAnswerIds);
    }

    [Fact]
    public void Score_PinOnTheOtherCallOfAComparison_DoesNotMatch()
    {
        var rules = new Rules(4000, 15000, [], 0, "b");
        var result = Score(rules, [new Answer(1, "a", 10_000, null, "no-empathy")], [new Pin("b", 10_000, "no-empathy")], "", "b");
        Assert.Null(result.Pins[0].AnswerId);
        Assert.Equal(1, result.Choice);
    }

    [Fact]
    public void Score_ComparisonWrongChoice_LosesTheChoicePart()
    {
        var rules = new Rules(4000, 15000, [], 0, "b");
        var result = Score(rules, [new Answer(1, "a", 10_000, null, "no-empathy")], [new Pin("a", 10_000, "no-empathy")], "", "a");
        Assert.Equal(0, result.Choice);
        Assert.Equal(100 - Weights.Comparison.Choice, result.Score);
    }

    [Fact]
    public void CritiqueCredit_HalfForLengthHalfForKeywords_CaseInsensitive()
    {
        var (full, found) = CritiqueCredit("The agent showed no OWNERSHIP and gave no refund date at all.", ["ownership", "refund date"], 20);
        Assert.Equal(1, full);
        Assert.Equal(["ownership", "refund date"], found);
        var (half, _) = CritiqueCredit("short", ["ownership"], 10);
        Assert.Equal(0.25, half);
        var (lengthOnly, _) = CritiqueCredit("twenty characters!!!", [], 40);
        Assert.Equal(0.5, lengthOnly);
    }

    [Fact]
    public void ParseKeywords_CommaOrSemicolonOrLines_TrimmedAndDistinct()
    {
        Assert.Equal(["ownership", "refund date"], ParseKeywords(" ownership, refund date;Ownership\n"));
    }
}
