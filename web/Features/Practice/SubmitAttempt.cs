using System.ComponentModel.DataAnnotations;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Exercises;
using Dapper;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Practice;

/// <summary>
/// A learner submits an attempt: pins (side, seconds on the player's clock, category), critique, what they would
/// have said and, for a comparison, which call served the customer better. It is scored, stored with its pins,
/// and feeds the practice schedule, points, badges and certifications, all in one transaction.
/// </summary>
public static class SubmitAttempt
{
    public const int MaxPins = 20;
    public const int MaxText = 4000;

    public sealed class PinInput
    {
        public string Side { get; set; } = "a";
        [Seconds] public decimal? At { get; set; }
        public string? Category { get; set; }
    }

    public sealed class Form
    {
        public List<PinInput> Pins { get; set; } = [];
        [DisplayFormat(ConvertEmptyStringToNull = false)]
        public string Critique { get; set; } = "";
        [DisplayFormat(ConvertEmptyStringToNull = false)]
        public string WouldHaveSaid { get; set; } = "";
        public string? ChosenSide { get; set; }
    }

    private sealed class CallLength
    {
        public int Id { get; init; }
        public long DurationMs { get; init; }
    }

    /// <summary>The stored attempt and the badges it earned.</summary>
    public sealed record Submitted(int AttemptId, IReadOnlyList<string> Earned);

    public sealed class Handler(IDbConnectionFactory db, LearnerExercises.Handler exercises, TimeProvider clock)
    {
        public async Task<Outcome<Submitted>> SubmitAsync(ExerciseRecord exercise, CurrentUser user, Form form, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var categories = (await connection.QueryAsync<string>("SELECT Code FROM NeedCategory WHERE IsActive = 1")).ToHashSet();
            var durations = (await connection.QueryAsync<CallLength>(
                "SELECT Id, DurationMs FROM Call WHERE Id IN (@CallId, @Second)", new { exercise.CallId, Second = exercise.SecondCallId ?? -1 }))
                .ToDictionary(c => c.Id, c => c.DurationMs);
            var pins = form.Pins.Where(p => p.At is not null || !string.IsNullOrEmpty(p.Category)).ToList();
            var errors = new Dictionary<string, Message>();
            void Add(string field, Message message) => errors.TryAdd(field, message);
            if (pins.Count > MaxPins)
                Add(nameof(Form.Pins), new Message("At most {0} pins.", MaxPins));
            if (exercise.Kind != "comparison" && pins.Count == 0)
                Add(nameof(Form.Pins), "Pin at least one moment.");
            if (exercise.Kind == "comparison" && form.ChosenSide is not ("a" or "b"))
                Add(nameof(Form.ChosenSide), "Say which call served the customer better.");
            var scored = new List<AttemptScoring.Pin>();
            foreach (var pin in pins)
            {
                var callId = exercise.CallOf(pin.Side);
                var atMs = pin.At is { } at ? (long)Math.Round(at * 1000) + exercise.OffsetMs(pin.Side) : -1;
                var endMs = callId is null ? 0 : pin.Side == "a" && exercise.ExcerptEndMs is { } excerptEnd ? excerptEnd : durations.GetValueOrDefault(callId.Value);
                if (callId is null || atMs < exercise.OffsetMs(pin.Side) || atMs > endMs)
                    Add("Pins.At", "A pin is outside the call.");
                else if (pin.Category is null || !categories.Contains(pin.Category))
                    Add("Pins.Category", "Choose a category for each pin.");
                else
                    scored.Add(new AttemptScoring.Pin(pin.Side, atMs, pin.Category));
            }
            if (form.Critique.Length > MaxText || form.WouldHaveSaid.Length > MaxText)
                Add(nameof(Form.Critique), new Message("Keep the critique and what you would have said under {0} characters.", MaxText));
            if (errors.Count > 0)
                return Outcome.Invalid(errors);
            return Outcome.Done(await RecordAsync(exercise, user.Id, scored, form, clock.GetUtcNow(), ct));
        }

        /// <summary>Scores validated pins (on the call's clock) and stores the attempt as of <paramref name="now"/>; also used by the demo history.</summary>
        public async Task<Submitted> RecordAsync(ExerciseRecord exercise, int userId,
            IReadOnlyList<AttemptScoring.Pin> scored, Form form, DateTimeOffset now, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var answers = await exercises.AnswersAsync(exercise.Id, ct);
            var rules = new AttemptScoring.Rules(exercise.FullCreditMs, exercise.ZeroCreditMs, AttemptScoring.ParseKeywords(exercise.CritiqueKeywords),
                exercise.CritiqueMinChars, exercise.Kind == "comparison" ? exercise.BetterSide : null);
            var result = AttemptScoring.Score(rules,
                answers.Select(a => new AttemptScoring.Answer(a.Id, a.Side, a.StartMs, a.EndMs, a.CategoryCode)).ToList(),
                scored, form.Critique, form.ChosenSide);

            await using var tx = await connection.BeginTransactionAsync(ct);
            var first = await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM Attempt WHERE ExerciseId = @Id AND UserId = @userId", new { exercise.Id, userId }, tx) == 0;
            var attemptId = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("Attempt",
                "ExerciseId, UserId, ChosenSide, Critique, WouldHaveSaid, TimingScore, CategoryScore, CritiqueScore, ChoiceScore, ExtraPins, Score, Points, SubmittedAt",
                "@ExerciseId, @UserId, @ChosenSide, @Critique, @WouldHaveSaid, @Timing, @Category, @Critique_, @Choice, @ExtraPins, @Score, @Points, @now"),
                new
                {
                    ExerciseId = exercise.Id, UserId = userId, ChosenSide = exercise.Kind == "comparison" ? form.ChosenSide : null,
                    Critique = form.Critique.Trim(), WouldHaveSaid = form.WouldHaveSaid.Trim(), result.Timing, result.Category, Critique_ = result.Critique,
                    result.Choice, result.ExtraPins, result.Score, Points = Rewards.PointsFor(result.Score, first), now,
                }, tx);
            await connection.ExecuteAsync(
                """
                INSERT INTO AttemptPin (AttemptId, Side, AtMs, CategoryCode, AnswerId, TimingCredit, CategoryMatch)
                VALUES (@attemptId, @Side, @AtMs, @CategoryCode, @AnswerId, @TimingCredit, @CategoryMatch)
                """, result.Pins.Select(p => new { attemptId, p.Pin.Side, p.Pin.AtMs, p.Pin.CategoryCode, p.AnswerId, p.TimingCredit, p.CategoryMatch }), tx);

            // A category is a hit when every answer in it was found with the right category.
            var found = result.Pins.Where(p => p.AnswerId is not null && p.CategoryMatch).Select(p => p.AnswerId!.Value).ToHashSet();
            var byCategory = answers.GroupBy(a => a.CategoryCode).ToDictionary(g => g.Key, g => g.All(a => found.Contains(a.Id)));
            var mastered = await SpacedRepetition.RecordAsync(connection, tx, db.Dialect, userId, byCategory, now);
            var earned = await Rewards.AfterAttemptAsync(connection, tx, userId, exercise.Id, result.Score, mastered, now);
            await tx.CommitAsync(ct);
            return new Submitted(attemptId, earned);
        }
    }
}
