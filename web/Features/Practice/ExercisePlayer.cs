using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Exercises;
using CallReview.Web.Features.Review;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Practice;

/// <summary>
/// The page a learner practises on, before submitting. It is built only from what may be shown: the title,
/// difficulty, hints, the calls' audio (through this feature's media URLs) and transcript, and every active
/// category to choose from. No answer, tag, keyword or model answer is read into it, so none can leak.
/// </summary>
public static class ExercisePlayer
{
    public sealed class Category
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
    }

    /// <summary>One call of the exercise as the learner hears it: its clock starts at the excerpt's start.</summary>
    public sealed record Side(string Key, string Label, Timeline Timeline);

    public sealed record Model(
        int Id,
        string Title,
        string Kind,
        int Difficulty,
        string Hints,
        int CritiqueMinChars,
        bool ShowTranscript,
        IReadOnlyList<Side> Sides,
        IReadOnlyList<Category> Categories,
        int? LastAttemptId,
        SubmitAttempt.Form? Unsaved = null);

    private sealed class CallShape
    {
        public long DurationMs { get; init; }
        public string Layout { get; init; } = "";
    }

    public sealed class Handler(IDbConnectionFactory db, LearnerExercises.Handler exercises)
    {
        public async Task<Model?> LoadAsync(int id, CurrentUser user, CancellationToken ct)
        {
            if (await exercises.FindAsync(id, user, ct) is not { } exercise)
                return null;
            var sides = await SidesAsync(exercise, ct);
            await using var connection = await db.OpenAsync(ct);
            // A "what great looks like" exercise asks for the need each moment met, by its positive name.
            var categories = await connection.QueryAsync<Category>(
                $"SELECT c.Code, {NeedCategories.DisplayName("@Kind", "c")} AS Name FROM NeedCategory c WHERE c.IsActive = 1 ORDER BY c.SortOrder, c.Name",
                new { exercise.Kind });
            var last = await connection.ExecuteScalarAsync<int?>(
                "SELECT MAX(Id) FROM Attempt WHERE ExerciseId = @id AND UserId = @userId", new { id, userId = user.Id });
            return new Model(exercise.Id, exercise.Title, exercise.Kind, exercise.Difficulty, exercise.Hints, exercise.CritiqueMinChars,
                exercise.ShowTranscript, sides, categories.ToList(), last);
        }

        /// <summary>The exercise's calls as the learner's player presents them (also used after submitting).</summary>
        public async Task<IReadOnlyList<Side>> SidesAsync(ExerciseRecord exercise, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var sides = new List<Side> { await SideAsync(connection, exercise, "a", ct) };
            if (exercise.SecondCallId is not null)
                sides.Add(await SideAsync(connection, exercise, "b", ct));
            return sides;
        }

        private static async Task<Side> SideAsync(System.Data.Common.DbConnection connection, ExerciseRecord exercise, string side, CancellationToken ct)
        {
            var callId = exercise.CallOf(side)!.Value;
            var call = await connection.QuerySingleAsync<CallShape>("SELECT DurationMs, Layout FROM Call WHERE Id = @callId", new { callId });
            var media = await RecordingFiles.FindAsync(connection, callId);
            var start = exercise.OffsetMs(side);
            var end = side == "a" && exercise.ExcerptEndMs is { } e ? e : call.DurationMs;
            var turns = exercise.ShowTranscript
                ? (await connection.QueryAsync<Timeline.Turn>(
                    "SELECT Channel, Speaker, StartMs, EndMs, Text FROM Segment WHERE CallId = @callId AND EndMs > @start AND StartMs < @end ORDER BY StartMs, Seq",
                    new { callId, start, end }))
                    .Select(t => new Timeline.Turn
                    {
                        Channel = t.Channel, Speaker = t.Speaker, Text = t.Text,
                        StartMs = Math.Max(0, t.StartMs - start), EndMs = Math.Min(end, t.EndMs) - start,
                    }).ToList()
                : [];
            var basePath = $"/practice/exercises/{exercise.Id}";
            return new Side(side, exercise.SecondCallId is null ? "The call" : side == "a" ? "Call A" : "Call B", new Timeline
            {
                // The exercise's id, never the call's: the learner has no business with the call itself.
                CallId = exercise.Id,
                DurationMs = end - start,
                Layout = call.Layout,
                AudioUrl = media is { HasAudio: true } ? $"{basePath}/audio?side={side}" : null,
                PeaksUrl = media is { HasPeaks: true } ? $"{basePath}/peaks?side={side}" : null,
                Turns = turns,
            });
        }
    }
}
