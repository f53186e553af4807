using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Practice;

/// <summary>A learner's points, streak, badges and certifications; and the team leaderboard, where a learner may hide their name.</summary>
public static class Profile
{
    public const int LeaderboardDays = 30;

    public sealed class Badge
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string Description { get; init; } = "";
        public string Detail { get; init; } = "";
        public DateTimeOffset AwardedAt { get; init; }
    }

    public sealed class CertificationStatus
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public int Threshold { get; init; }
        public int Exercises { get; init; }
        public int Attempted { get; init; }
        public DateTimeOffset? AwardedAt { get; init; }
    }

    public sealed record Summary(int Points, int Streak, IReadOnlyList<Badge> Badges, IReadOnlyList<CertificationStatus> Certifications);

    public sealed class Entry
    {
        public int UserId { get; init; }
        public string DisplayName { get; init; } = "";
        public bool Hidden { get; init; }
        public int Points { get; init; }
        public int Attempts { get; init; }
    }

    public sealed record Board(string Team, IReadOnlyList<Entry> Entries);

    public sealed record LeaderboardModel(IReadOnlyList<Board> Boards, int UserId, bool Hidden);

    /// <summary>Points of a learner: attempts plus shared stories. SQL expression over alias <c>u</c>, parameter @since.</summary>
    private static readonly string PointsSince =
        "COALESCE((SELECT SUM(a.Points) FROM Attempt a WHERE a.UserId = u.Id AND a.SubmittedAt >= @since), 0) + " +
        $"(SELECT COUNT(*) FROM Post p WHERE p.UserId = u.Id AND p.DeletedAt IS NULL AND p.CreatedAt >= @since) * {Rewards.StoryPoints}";

    private sealed class Team
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
    }

    public sealed class Handler(IDbConnectionFactory db, TimeProvider clock)
    {
        public async Task<Summary> LoadAsync(int userId, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenAsync(ct);
            var points = await connection.ExecuteScalarAsync<int>(
                $"SELECT {PointsSince} FROM UserAccount u WHERE u.Id = @userId", new { userId, since = DateTimeOffset.UnixEpoch });
            var practised = await connection.QueryAsync<DateTimeOffset>(
                "SELECT SubmittedAt FROM Attempt WHERE UserId = @userId AND SubmittedAt >= @since", new { userId, since = now.AddDays(-400) });
            var badges = await connection.QueryAsync<Badge>(
                $"""
                SELECT b.Code, {ContentNames.Sql(ContentNames.Badge, "b.Code", "b.Name")} AS Name,
                       {ContentNames.Sql(ContentNames.BadgeDescription, "b.Code", "b.Description")} AS Description,
                       COALESCE((SELECT {ContentNames.Sql(ContentNames.Category, "c.Code", "c.Name")} FROM NeedCategory c WHERE c.Code = ub.Detail AND ub.BadgeCode = 'category-mastery'), ub.Detail) AS Detail,
                       ub.AwardedAt FROM UserBadge ub JOIN Badge b ON b.Code = ub.BadgeCode
                WHERE ub.UserId = @userId ORDER BY b.SortOrder, ub.AwardedAt
                """, new { userId });
            var certifications = await connection.QueryAsync<CertificationStatus>(
                $"""
                SELECT c.Id, c.Name, c.Threshold,
                       (SELECT COUNT(*) FROM CertificationExercise x JOIN Exercise e ON e.Id = x.ExerciseId WHERE x.CertificationId = c.Id AND {LearnerExercises.PublishedTo}) AS Exercises,
                       (SELECT COUNT(DISTINCT a.ExerciseId) FROM CertificationExercise x JOIN Attempt a ON a.ExerciseId = x.ExerciseId AND a.UserId = @LearnerId WHERE x.CertificationId = c.Id) AS Attempted,
                       (SELECT u.AwardedAt FROM UserCertification u WHERE u.CertificationId = c.Id AND u.UserId = @LearnerId) AS AwardedAt
                FROM Certification c
                WHERE EXISTS (SELECT 1 FROM CertificationExercise x JOIN Exercise e ON e.Id = x.ExerciseId WHERE x.CertificationId = c.Id AND {LearnerExercises.PublishedTo})
                ORDER BY c.Name
                """, new { LearnerId = userId });
            return new Summary(points, Rewards.StreakDays(practised, now), badges.ToList(), certifications.ToList());
        }

        public async Task<LeaderboardModel> LeaderboardAsync(CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var since = clock.GetUtcNow().AddDays(-LeaderboardDays);
            var teams = await connection.QueryAsync<Team>(
                "SELECT t.Name, t.Id FROM Team t JOIN TeamMember m ON m.TeamId = t.Id WHERE m.UserId = @Id ORDER BY t.Name", new { user.Id });
            var boards = new List<Board>();
            foreach (var team in teams)
            {
                var entries = await connection.QueryAsync<Entry>(
                    $"""
                    SELECT u.Id AS UserId, u.DisplayName, COALESCE(lp.HideFromLeaderboard, 0) AS Hidden, {PointsSince} AS Points,
                           (SELECT COUNT(*) FROM Attempt a WHERE a.UserId = u.Id AND a.SubmittedAt >= @since) AS Attempts
                    FROM UserAccount u
                    JOIN TeamMember m ON m.UserId = u.Id AND m.TeamId = @teamId
                    LEFT JOIN LearnerPreference lp ON lp.UserId = u.Id
                    WHERE u.IsActive = 1 AND {Roles.HeldBy("u.Id", Roles.Learner)}
                    ORDER BY Points DESC, u.DisplayName
                    """, new { teamId = team.Id, since });
                boards.Add(new Board(team.Name, entries.ToList()));
            }
            var hidden = await connection.ExecuteScalarAsync<int?>("SELECT HideFromLeaderboard FROM LearnerPreference WHERE UserId = @Id", new { user.Id }) == 1;
            return new LeaderboardModel(boards, user.Id, hidden);
        }

        public async Task SetHiddenAsync(int userId, bool hidden, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteAsync(db.Dialect.Upsert("LearnerPreference", ["UserId"], ["HideFromLeaderboard"]),
                new { UserId = userId, HideFromLeaderboard = hidden });
        }
    }
}
