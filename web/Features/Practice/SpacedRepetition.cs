using CallReview.Db;
using Dapper;
using System.Data.Common;

namespace CallReview.Web.Features.Practice;

/// <summary>
/// Spaced repetition per learner and need category. A miss (an answer in that category not found with the right
/// category) brings the category back tomorrow; each later hit moves it along the ladder (1, 3, 7, 14, 30 days);
/// a hit at the last rung masters it: it fades from practice (no due date) until it is missed again.
/// A category never missed is not scheduled at all: hits only count toward mastery.
/// </summary>
public static class SpacedRepetition
{
    public static readonly int[] LadderDays = [1, 3, 7, 14, 30];

    public sealed class State
    {
        public int Step { get; init; }
        public int Hits { get; init; }
        public int Misses { get; init; }
        public DateTimeOffset? DueAt { get; init; }
        public DateTimeOffset? MasteredAt { get; init; }
    }

    /// <summary>The next state after one result in the category; <paramref name="previous"/> null when the category has no row yet.</summary>
    public static State Next(State? previous, bool hit, DateTimeOffset now)
    {
        if (!hit)
            return new State { Step = 0, Hits = previous?.Hits ?? 0, Misses = (previous?.Misses ?? 0) + 1, DueAt = now.AddDays(LadderDays[0]) };
        if (previous is null)
            return new State { Step = 0, Hits = 1, Misses = 0 };
        if (previous.DueAt is null)
            return new State { Step = previous.Step, Hits = previous.Hits + 1, Misses = previous.Misses, MasteredAt = previous.MasteredAt };
        var step = previous.Step + 1;
        return step >= LadderDays.Length
            ? new State { Step = step, Hits = previous.Hits + 1, Misses = previous.Misses, MasteredAt = now }
            : new State { Step = step, Hits = previous.Hits + 1, Misses = previous.Misses, DueAt = now.AddDays(LadderDays[step]) };
    }

    /// <summary>Applies one attempt's results per category; returns the categories that became mastered now.</summary>
    public static async Task<IReadOnlyList<string>> RecordAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect,
        int userId, IReadOnlyDictionary<string, bool> hitByCategory, DateTimeOffset now)
    {
        var mastered = new List<string>();
        foreach (var (category, hit) in hitByCategory)
        {
            var previous = await connection.QuerySingleOrDefaultAsync<State>(
                "SELECT Step, Hits, Misses, DueAt, MasteredAt FROM PracticeSchedule WHERE UserId = @userId AND CategoryCode = @category",
                new { userId, category }, tx);
            var next = Next(previous, hit, now);
            if (next.MasteredAt == now)
                mastered.Add(category);
            await connection.ExecuteAsync(dialect.Upsert("PracticeSchedule", ["UserId", "CategoryCode"], ["Step", "Hits", "Misses", "DueAt", "MasteredAt", "UpdatedAt"]),
                new { UserId = userId, CategoryCode = category, next.Step, next.Hits, next.Misses, next.DueAt, next.MasteredAt, UpdatedAt = now }, tx);
        }
        return mastered;
    }
}
