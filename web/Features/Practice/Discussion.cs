using CallReview.Db;
using CallReview.Web.Features.Accounts;
using Dapper;

namespace CallReview.Web.Features.Practice;

/// <summary>
/// The thread under an exercise where learners share how they handled the situation, with reactions; supervisors
/// pin the best. No spoilers: a learner sees it only after submitting the exercise. Posts are visible to people who
/// share a team with their author; reviewers and supervisors of a team the exercise is published to may read it.
/// </summary>
public static class Discussion
{
    public static readonly IReadOnlyDictionary<string, string> Reactions = new Dictionary<string, string>
    {
        ["helpful"] = "👍 Helpful",
        ["same"] = "🙋 Happened to me",
        ["great"] = "⭐ Great answer",
    };

    public const int MaxBody = 4000;

    public sealed class Post
    {
        public int Id { get; init; }
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

    public sealed record Model(int ExerciseId, IReadOnlyList<Post> Posts, ILookup<int, Reaction> Reactions, bool MayPin, string? Error);

    public sealed class Handler(IDbConnectionFactory db, TimeProvider clock)
    {
        public async Task<bool> MayReadAsync(int exerciseId, CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var onTeam = await connection.ExecuteScalarAsync<int>(
                $"SELECT COUNT(*) FROM Exercise e WHERE e.Id = @exerciseId AND {LearnerExercises.PublishedTo}", new { exerciseId, LearnerId = user.Id }) > 0;
            if (!onTeam)
                return false;
            if (user.IsIn(Roles.Supervisor) || user.IsIn(Roles.Reviewer))
                return true;
            return await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM Attempt WHERE ExerciseId = @exerciseId AND UserId = @Id", new { exerciseId, user.Id }) > 0;
        }

        public async Task<Model?> LoadAsync(int exerciseId, CurrentUser user, CancellationToken ct, string? error = null)
        {
            if (!await MayReadAsync(exerciseId, user, ct))
                return null;
            await using var connection = await db.OpenAsync(ct);
            var posts = await connection.QueryAsync<Post>(
                """
                SELECT p.Id, p.UserId, u.DisplayName AS Author, p.Body, p.IsPinned, p.CreatedAt
                FROM Post p JOIN UserAccount u ON u.Id = p.UserId
                WHERE p.ExerciseId = @exerciseId AND p.DeletedAt IS NULL
                  AND p.UserId IN (SELECT b.UserId FROM TeamMember a JOIN TeamMember b ON b.TeamId = a.TeamId WHERE a.UserId = @Id)
                ORDER BY p.IsPinned DESC, p.CreatedAt
                """, new { exerciseId, user.Id });
            var reactions = await connection.QueryAsync<Reaction>(
                """
                SELECT r.PostId, r.Reaction AS Kind, COUNT(*) AS Count, SUM(CASE WHEN r.UserId = @Id THEN 1 ELSE 0 END) AS Mine
                FROM PostReaction r JOIN Post p ON p.Id = r.PostId WHERE p.ExerciseId = @exerciseId
                GROUP BY r.PostId, r.Reaction
                """, new { exerciseId, user.Id });
            return new Model(exerciseId, posts.ToList(), reactions.ToLookup(r => r.PostId), user.IsIn(Roles.Supervisor), error);
        }

        /// <summary>Null when posted; otherwise why not.</summary>
        public async Task<string?> PostAsync(int exerciseId, CurrentUser user, string? body, CancellationToken ct)
        {
            body = body?.Trim() ?? "";
            if (body.Length is 0 or > MaxBody)
                return $"Write your story (up to {MaxBody} characters).";
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(
                "INSERT INTO Post (ExerciseId, UserId, Body, IsPinned, CreatedAt) VALUES (@exerciseId, @Id, @body, 0, @now)",
                new { exerciseId, user.Id, body, now }, tx);
            await Rewards.AwardAsync(connection, tx, user.Id, "shared-story", "", now);
            await tx.CommitAsync(ct);
            return null;
        }

        /// <summary>Adds the reaction, or takes it back when the user already gave it. Returns the post's exercise, or null.</summary>
        public async Task<int?> ReactAsync(int postId, CurrentUser user, string reaction, CancellationToken ct)
        {
            if (!Reactions.ContainsKey(reaction) || await ExerciseOfAsync(postId, user, ct) is not { } exerciseId)
                return null;
            await using var connection = await db.OpenAsync(ct);
            var removed = await connection.ExecuteAsync(
                "DELETE FROM PostReaction WHERE PostId = @postId AND UserId = @Id AND Reaction = @reaction", new { postId, user.Id, reaction });
            if (removed == 0)
                await connection.ExecuteAsync(
                    "INSERT INTO PostReaction (PostId, UserId, Reaction, CreatedAt) VALUES (@postId, @Id, @reaction, @now)",
                    new { postId, user.Id, reaction, now = clock.GetUtcNow() });
            return exerciseId;
        }

        /// <summary>A supervisor pins or unpins a post. Returns the post's exercise, or null.</summary>
        public async Task<int?> TogglePinAsync(int postId, CurrentUser user, CancellationToken ct)
        {
            if (!user.IsIn(Roles.Supervisor) || await ExerciseOfAsync(postId, user, ct) is not { } exerciseId)
                return null;
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteAsync("UPDATE Post SET IsPinned = CASE WHEN IsPinned = 1 THEN 0 ELSE 1 END WHERE Id = @postId", new { postId });
            return exerciseId;
        }

        private async Task<int?> ExerciseOfAsync(int postId, CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var exerciseId = await connection.ExecuteScalarAsync<int?>("SELECT ExerciseId FROM Post WHERE Id = @postId AND DeletedAt IS NULL", new { postId });
            return exerciseId is { } id && await MayReadAsync(id, user, ct) ? id : null;
        }
    }
}
