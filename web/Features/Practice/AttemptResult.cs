using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Exercises;
using CallReview.Web.Features.Review;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Practice;

/// <summary>After submitting: the learner's pins beside the expert's, the score broken down, and the model answer.</summary>
public static class AttemptResult
{
    public sealed class Attempt
    {
        public int Id { get; init; }
        public int ExerciseId { get; init; }
        public int UserId { get; init; }
        public string? ChosenSide { get; init; }
        public string Critique { get; init; } = "";
        public string WouldHaveSaid { get; init; } = "";
        public double TimingScore { get; init; }
        public double CategoryScore { get; init; }
        public double CritiqueScore { get; init; }
        public double? ChoiceScore { get; init; }
        public int ExtraPins { get; init; }
        public double Score { get; init; }
        public int Points { get; init; }
        public DateTimeOffset SubmittedAt { get; init; }
    }

    public sealed class Pin
    {
        public int Id { get; init; }
        public string Side { get; init; } = "";
        public long AtMs { get; init; }
        public string CategoryCode { get; init; } = "";
        public string CategoryName { get; init; } = "";
        public int? AnswerId { get; init; }
        public double TimingCredit { get; init; }
        public bool CategoryMatch { get; init; }
    }

    public sealed record Model(
        Attempt Attempt,
        ExerciseRecord Exercise,
        IReadOnlyList<LearnerExercises.Answer> Answers,
        IReadOnlyList<Pin> Pins,
        IReadOnlyList<ExercisePlayer.Side> Sides,
        IReadOnlyList<string> Keywords,
        IReadOnlyList<string> KeywordsUsed,
        AttemptScoring.Weights Weights)
    {
        /// <summary>A time on the call's clock as the learner's player showed it (excerpts start at zero).</summary>
        public long PlayerMs(string side, long callMs) => callMs - Exercise.OffsetMs(side);
    }

    public sealed class Handler(IDbConnectionFactory db, LearnerExercises.Handler exercises, ExercisePlayer.Handler player)
    {
        public async Task<Model?> LoadAsync(int attemptId, CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var attempt = await connection.QuerySingleOrDefaultAsync<Attempt>(
                """
                SELECT Id, ExerciseId, UserId, ChosenSide, Critique, WouldHaveSaid, TimingScore, CategoryScore, CritiqueScore, ChoiceScore,
                       ExtraPins, Score, Points, SubmittedAt
                FROM Attempt WHERE Id = @attemptId AND UserId = @userId
                """, new { attemptId, userId = user.Id });
            if (attempt is null)
                return null;
            var exercise = await connection.QuerySingleAsync<ExerciseRecord>(
                $"SELECT {ExerciseRecord.Columns} FROM Exercise e WHERE e.Id = @ExerciseId", new { attempt.ExerciseId });
            var pins = await connection.QueryAsync<Pin>(
                $"""
                SELECT p.Id, p.Side, p.AtMs, p.CategoryCode, {NeedCategories.DisplayName("@Kind", "c")} AS CategoryName, p.AnswerId, p.TimingCredit, p.CategoryMatch
                FROM AttemptPin p JOIN NeedCategory c ON c.Code = p.CategoryCode WHERE p.AttemptId = @attemptId ORDER BY p.Side, p.AtMs
                """, new { attemptId, exercise.Kind });
            var sides = await player.SidesAsync(exercise, ct);
            var keywords = AttemptScoring.ParseKeywords(exercise.CritiqueKeywords);
            return new Model(attempt, exercise, await exercises.AnswersAsync(exercise.Id, ct), pins.ToList(), sides, keywords,
                keywords.Where(k => attempt.Critique.Contains(k, StringComparison.OrdinalIgnoreCase)).ToList(),
                exercise.Kind == "comparison" ? AttemptScoring.Weights.Comparison : AttemptScoring.Weights.Spot);
        }
    }
}
