using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Practice;

/// <summary>
/// The threads under an exercise where learners share how they handled the situation, with reactions; supervisors
/// pin the best. Each exercise has its own thread and one per call moment (an expert answer, Post.AnswerId). No spoilers: a learner sees it only after submitting the exercise. Posts are visible to people who
/// share a team with their author; reviewers and supervisors of a team the exercise is published to may read it.
/// </summary>
public static class Discussion
{
    public static readonly IReadOnlyDictionary<string, string> Reactions = new Dictionary<string, string>
    {
        ["helpful"] = "Helpful",
        ["same"] = "Happened to me",
        ["great"] = "Great answer",
    };

    public const int MaxBody = 4000;

    public sealed class Post
    {
        public int Id { get; init; }
        public int? AnswerId { get; init; }
        public int UserId { get; init; }
        public string Author { get; init; } = "";
        public string Body { get; init; } = "";
        public bool IsPinned { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }

    public sealed class Reaction
    {
        public int PostId { get; init; }
        public string Kind { get; init; } = "";
        public int Count { get; init; }
        public int Mine { get; init; }
    }

    /// <summary>A call moment with its times on the learner's player clock (excerpts start at zero).</summary>
    public sealed record Moment(int AnswerId, string Side, long StartMs, long? EndMs, string CategoryName)
    {
        public string Heading(bool comparison) =>
            (comparison ? (Side == "a" ? "Call A · " : "Call B · ") : "") + TimeText.Range(StartMs, EndMs) + " · " + CategoryName;
    }

    /// <summary>Where a post lives: the exercise's thread (AnswerId null) or a moment's.</summary>
    public sealed class ThreadKey
    {
        public int ExerciseId { get; init; }
        public int? AnswerId { get; init; }
    }

    /// <summary>Every thread of an exercise; a refused post's error (in ModelState) shows in the thread of <see cref="PostedTo"/>.</summary>
    public sealed record Model(int ExerciseId, bool IsComparison, IReadOnlyList<Moment> Moments, IReadOnlyList<Post> Posts, ILookup<int, Reaction> Reactions,
        bool MayPin, int? PostedTo = null)
    {
        public Thread ThreadOf(int? answerId, bool expanded = true) =>
            new(this, answerId is null ? null : Moments.Single(m => m.AnswerId == answerId), expanded);
    }

    /// <summary>One thread to render: the exercise's (Moment null) or a moment's, whose post list may be collapsed.</summary>
    public sealed record Thread(Model Discussion, Moment? Moment, bool Expanded)
    {
        public int? AnswerId => Moment?.AnswerId;
        public string ElementId => Moment is null ? "discussion" : $"moment-{Moment.AnswerId}";
        public IReadOnlyList<Post> Posts => Discussion.Posts.Where(p => p.AnswerId == AnswerId).ToList();
        public bool WasPostedTo => Discussion.PostedTo == AnswerId;
    }

    /// <summary>SQL on alias <c>p</c>: a post the user (@Id) may read, written by someone who shares a team with them.</summary>
    private const string PostVisible =
        "p.DeletedAt IS NULL AND p.UserId IN (SELECT b.UserId FROM TeamMember a JOIN TeamMember b ON b.TeamId = a.TeamId WHERE a.UserId = @Id)";

    /// <summary>True when the answer is null or one of the exercise's; takes @exerciseId and @answerId.</summary>
    internal const string AnswerOfExercise =
        "(@answerId IS NULL OR EXISTS (SELECT 1 FROM ExerciseAnswer a WHERE a.Id = @answerId AND a.ExerciseId = @exerciseId))";

    public sealed class Handler(IDbConnectionFactory db, TimeProvider clock, LearnerExercises.Handler exercises, DiscussionAccess access)
    {
        /// <summary>Every thread of the exercise: its own and one per moment; null when the user may not read them.</summary>
        public async Task<Model?> LoadAsync(int exerciseId, CurrentUser user, CancellationToken ct)
        {
            if (!await access.MayReadAsync(exerciseId, null, user, ct) || await exercises.FindAsync(exerciseId, user, ct) is not { } exercise)
                return null;
            var moments = (await exercises.AnswersAsync(exerciseId, ct))
                .Select(a => new Moment(a.Id, a.Side, a.StartMs - exercise.OffsetMs(a.Side), a.EndMs - exercise.OffsetMs(a.Side), a.CategoryName)).ToList();
            await using var connection = await db.OpenAsync(ct);
            var posts = await connection.QueryAsync<Post>(
                $"""
                SELECT p.Id, p.AnswerId, p.UserId, u.DisplayName AS Author, p.Body, p.IsPinned, p.CreatedAt
                FROM Post p JOIN UserAccount u ON u.Id = p.UserId
                WHERE p.ExerciseId = @exerciseId AND {PostVisible}
                ORDER BY p.IsPinned DESC, p.CreatedAt
                """, new { exerciseId, user.Id });
            var reactions = await connection.QueryAsync<Reaction>(
                """
                SELECT r.PostId, r.Reaction AS Kind, COUNT(*) AS Count, SUM(CASE WHEN r.UserId = @Id THEN 1 ELSE 0 END) AS Mine
                FROM PostReaction r JOIN Post p ON p.Id = r.PostId WHERE p.ExerciseId = @exerciseId
                GROUP BY r.PostId, r.Reaction
                """, new { exerciseId, user.Id });
            return new Model(exerciseId, exercise.Kind == "comparison", moments, posts.ToList(), reactions.ToLookup(r => r.PostId), DiscussionAccess.MayPin(user));
        }

        /// <summary>Posts to the exercise's thread, or the moment's when answerId is given.</summary>
        public async Task<Outcome<Outcome.Unit>> PostAsync(int exerciseId, int? answerId, CurrentUser user, string? body, CancellationToken ct)
        {
            body = body?.Trim() ?? "";
            if (body.Length is 0 or > MaxBody)
                return Outcome.Invalid("body", new Message("Write your story (up to {0} characters).", MaxBody));
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var inserted = await connection.ExecuteAsync(
                $"INSERT INTO Post (ExerciseId, AnswerId, UserId, Body, IsPinned, CreatedAt) SELECT @exerciseId, @answerId, @Id, @body, 0, @now WHERE {AnswerOfExercise}",
                new { exerciseId, answerId, user.Id, body, now }, tx);
            if (inserted == 0)
                return Outcome.Invalid("body", "That moment is not part of this exercise.");
            await Rewards.AwardAsync(connection, tx, user.Id, "shared-story", "", now);
            await tx.CommitAsync(ct);
            return Outcome.Done();
        }

        /// <summary>Adds the reaction, or takes it back when the user already gave it. Answers the post's thread.</summary>
        public async Task<Outcome<ThreadKey>> ReactAsync(int postId, CurrentUser user, string reaction, CancellationToken ct)
        {
            if (!Reactions.ContainsKey(reaction) || await ThreadOfAsync(postId, user, ct) is not { } thread)
                return Outcome.NotFound;
            await using var connection = await db.OpenAsync(ct);
            var removed = await connection.ExecuteAsync(
                "DELETE FROM PostReaction WHERE PostId = @postId AND UserId = @Id AND Reaction = @reaction", new { postId, user.Id, reaction });
            if (removed == 0)
                await connection.ExecuteAsync(
                    "INSERT INTO PostReaction (PostId, UserId, Reaction, CreatedAt) VALUES (@postId, @Id, @reaction, @now)",
                    new { postId, user.Id, reaction, now = clock.GetUtcNow() });
            return Outcome.Done(thread);
        }

        /// <summary>A supervisor pins or unpins a post. Answers the post's thread.</summary>
        public async Task<Outcome<ThreadKey>> TogglePinAsync(int postId, CurrentUser user, CancellationToken ct)
        {
            if (!DiscussionAccess.MayPin(user) || await ThreadOfAsync(postId, user, ct) is not { } thread)
                return Outcome.NotFound;
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteAsync("UPDATE Post SET IsPinned = CASE WHEN IsPinned = 1 THEN 0 ELSE 1 END WHERE Id = @postId", new { postId });
            return Outcome.Done(thread);
        }

        /// <summary>The thread of a post the user may read; null (a 404, as for no post) otherwise.</summary>
        private async Task<ThreadKey?> ThreadOfAsync(int postId, CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var thread = await connection.QuerySingleOrDefaultAsync<ThreadKey>(
                $"SELECT p.ExerciseId, p.AnswerId FROM Post p WHERE p.Id = @postId AND {PostVisible}", new { postId, user.Id });
            return thread is not null && await access.MayReadAsync(thread.ExerciseId, null, user, ct) ? thread : null;
        }
    }
}
