using CallReview.Web.Features.Practice;
using static CallReview.Web.Features.Practice.SpacedRepetition;

namespace CallReview.Tests.Web.Features.Practice;

public sealed class SpacedRepetitionTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_MissThenHits_ComesBackAfterGrowingIntervalsThenMastered()
    {
        var state = Next(null, hit: false, Day0);
        Assert.Equal(Day0.AddDays(1), state.DueAt);
        var now = Day0;
        foreach (var days in new[] { 3, 7, 14, 30 })
        {
            now = state.DueAt!.Value;
            state = Next(state, hit: true, now);
            Assert.Equal(now.AddDays(days), state.DueAt);
            Assert.Null(state.MasteredAt);
        }
        now = state.DueAt!.Value;
        state = Next(state, hit: true, now);
        Assert.Null(state.DueAt);
        Assert.Equal(now, state.MasteredAt);
        Assert.Equal(5, state.Hits);
        Assert.Equal(1, state.Misses);
    }

    [Fact]
    public void Next_MissDuringTheLadder_StartsAgainAtOneDay()
    {
        var state = Next(Next(Next(null, false, Day0), true, Day0.AddDays(1)), true, Day0.AddDays(4));
        Assert.Equal(Day0.AddDays(11), state.DueAt);
        state = Next(state, hit: false, Day0.AddDays(11));
        Assert.Equal(Day0.AddDays(12), state.DueAt);
        Assert.Equal(0, state.Step);
        Assert.Equal(2, state.Misses);
    }

    [Fact]
    public void Next_HitOnANeverMissedCategory_IsNotScheduled()
    {
        var state = Next(null, hit: true, Day0);
        Assert.Null(state.DueAt);
        Assert.Equal(1, state.Hits);
    }

    [Fact]
    public void Next_MasteredCategoryMissedAgain_ComesBackTomorrow()
    {
        var mastered = new State { Step = 5, Hits = 5, Misses = 1, MasteredAt = Day0 };
        var state = Next(mastered, hit: false, Day0.AddDays(40));
        Assert.Equal(Day0.AddDays(41), state.DueAt);
        Assert.Null(state.MasteredAt);
    }

    [Fact]
    public void Pick_AssignmentsThenDueCategoriesThenNew_UpToTheDailySize()
    {
        TodayQueue.Exercise E(int id, int difficulty, DateTimeOffset? last = null) => new() { Id = id, Title = $"e{id}", Difficulty = difficulty, LastAttemptAt = last };
        var exercises = new[] { E(1, 1), E(2, 3), E(3, 1, Day0.AddDays(-5)), E(4, 2), E(5, 1, Day0.AddDays(-1)) };
        var tags = new[] { (3, "no-empathy"), (5, "no-empathy"), (1, "rude-tone") }.ToLookup(t => t.Item1, t => t.Item2);
        var assignments = new[] { new TodayQueue.OpenAssignment { ExerciseId = 2, DueAt = Day0.AddDays(2) } };
        var due = new[] { new TodayQueue.DueCategory { CategoryCode = "no-empathy", Name = "No empathy", DueAt = Day0.AddHours(-1) } };

        var items = TodayQueue.Pick(exercises, tags, [], assignments, due, Day0);

        Assert.Equal([2, 3, 5], items.Select(i => i.Exercise.Id));
        Assert.Equal("assigned", items[0].Reason);
        Assert.StartsWith("practise again", items[1].Reason);
    }

    [Fact]
    public void Pick_ExerciseNotYetAttemptedWithADueCategory_ComesInAsNewWithoutNamingIt()
    {
        TodayQueue.Exercise E(int id, DateTimeOffset? last = null) => new() { Id = id, Title = $"e{id}", Difficulty = 1, LastAttemptAt = last };
        var tags = new[] { (1, "no-empathy"), (2, "no-empathy") }.ToLookup(t => t.Item1, t => t.Item2);
        var due = new[] { new TodayQueue.DueCategory { CategoryCode = "no-empathy", Name = "No empathy", DueAt = Day0.AddHours(-1) } };

        var items = TodayQueue.Pick([E(1), E(2, Day0.AddDays(-3))], tags, [], [], due, Day0);

        Assert.Equal([2, 1], items.Select(i => i.Exercise.Id));
        Assert.Equal(("practise again", "No empathy"), (items[0].Reason, items[0].Categories));
        Assert.Equal("new", items[1].Reason);
    }

    [Fact]
    public void Pick_WhatGreatLooksLikeExerciseDueAgain_NamesTheNeedThatWasMet()
    {
        var exercises = new[]
        {
            new TodayQueue.Exercise { Id = 1, Title = "great", Kind = "exemplary", Difficulty = 1, LastAttemptAt = Day0.AddDays(-3) },
            new TodayQueue.Exercise { Id = 2, Title = "spot", Kind = "spot", Difficulty = 1, LastAttemptAt = Day0.AddDays(-2) },
        };
        var tags = new[] { (1, "no-empathy"), (2, "no-empathy") }.ToLookup(t => t.Item1, t => t.Item2);
        var due = new[] { new TodayQueue.DueCategory { CategoryCode = "no-empathy", Name = "No empathy", MetName = "Empathy", DueAt = Day0.AddHours(-1) } };

        var items = TodayQueue.Pick(exercises, tags, [], [], due, Day0);

        Assert.Equal(("practise again", "Empathy"), (items[0].Reason, items[0].Categories));
        Assert.Equal(("practise again", "No empathy"), (items[1].Reason, items[1].Categories));
    }

    [Fact]
    public void Pick_DoneToday_StaysTickedAndFillsOnlyTheRest()
    {
        TodayQueue.Exercise E(int id) => new() { Id = id, Title = $"e{id}", Difficulty = 1 };
        var done = new[] { new TodayQueue.Done { ExerciseId = 3, AttemptId = 9, Score = 80 }, new TodayQueue.Done { ExerciseId = 1, AttemptId = 10, Score = 50 } };
        var items = TodayQueue.Pick([E(1), E(2), E(3), E(4)], Array.Empty<(int, string)>().ToLookup(t => t.Item1, t => t.Item2), done, [], [], Day0);
        Assert.Equal([3, 1, 2], items.Select(i => i.Exercise.Id));
        Assert.NotNull(items[0].Done);
        Assert.Null(items[2].Done);
    }

    [Fact]
    public void StreakDays_ConsecutiveDaysEndingTodayOrYesterday()
    {
        var now = Day0;
        Assert.Equal(3, Rewards.StreakDays([now, now.AddDays(-1), now.AddDays(-2).AddHours(-3), now.AddDays(-4)], now));
        Assert.Equal(2, Rewards.StreakDays([now.AddDays(-1), now.AddDays(-2)], now));
        Assert.Equal(0, Rewards.StreakDays([now.AddDays(-2)], now));
    }
}
