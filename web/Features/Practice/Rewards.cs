using System.Data.Common;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Practice;

/// <summary>Points, badges and certifications: what an attempt or a shared story earns, decided in one place.</summary>
public static class Rewards
{
    public const int StreakBadgeDays = 7;
    public const int StoryPoints = 5;

    /// <summary>A tenth of the score on the first attempt (plus a bonus for a perfect one); half that on a retake.</summary>
    public static int PointsFor(double score, bool firstAttempt) =>
        firstAttempt ? (int)Math.Round(score / 10) + (score >= 100 ? 5 : 0) : (int)Math.Round(score / 20);

    /// <summary>Consecutive UTC days with practice, ending today (or yesterday, so a streak is not lost before today's practice).</summary>
    public static int StreakDays(IEnumerable<DateTimeOffset> practisedAt, DateTimeOffset now)
    {
        var days = practisedAt.Select(t => DateOnly.FromDateTime(t.UtcDateTime)).ToHashSet();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        if (!days.Contains(day))
            day = day.AddDays(-1);
        var streak = 0;
        while (days.Contains(day))
        {
            streak++;
            day = day.AddDays(-1);
        }
        return streak;
    }

    /// <summary>Gives a badge once; returns whether it is new.</summary>
    public static async Task<bool> AwardAsync(DbConnection connection, DbTransaction? tx, int userId, string badge, string detail, DateTimeOffset now) =>
        await connection.ExecuteAsync(
            """
            INSERT INTO UserBadge (UserId, BadgeCode, Detail, AwardedAt)
            SELECT @userId, @badge, @detail, @now
            WHERE NOT EXISTS (SELECT 1 FROM UserBadge WHERE UserId = @userId AND BadgeCode = @badge AND Detail = @detail)
            """, new { userId, badge, detail, now }, tx) > 0;

    /// <summary>The badges and certifications an attempt may complete; returns what was newly earned, named in the reader's language.</summary>
    public static async Task<IReadOnlyList<string>> AfterAttemptAsync(DbConnection connection, DbTransaction tx,
        int userId, int exerciseId, double score, IReadOnlyList<string> masteredCategories, DateTimeOffset now)
    {
        var earned = new List<string>();
        async Task<string> Named(string badge, string? detail = null)
        {
            var name = await connection.ExecuteScalarAsync<string>(
                $"SELECT {ContentNames.Sql(ContentNames.Badge, "b.Code", "b.Name")} FROM Badge b WHERE b.Code = @badge", new { badge }, tx) ?? badge;
            return detail is null ? name : $"{name}: {detail}";
        }
        if (score >= 100 && await AwardAsync(connection, tx, userId, "first-perfect", "", now))
            earned.Add(await Named("first-perfect"));
        var recent = await connection.QueryAsync<DateTimeOffset>(
            "SELECT SubmittedAt FROM Attempt WHERE UserId = @userId AND SubmittedAt >= @since", new { userId, since = now.AddDays(-StreakBadgeDays - 1) }, tx);
        if (StreakDays(recent, now) >= StreakBadgeDays && await AwardAsync(connection, tx, userId, "streak-7", "", now))
            earned.Add(await Named("streak-7"));
        foreach (var category in masteredCategories)
            if (await AwardAsync(connection, tx, userId, "category-mastery", category, now))
                earned.Add(await Named("category-mastery", await connection.ExecuteScalarAsync<string>(
                    $"SELECT {ContentNames.Sql(ContentNames.Category, "c.Code", "c.Name")} FROM NeedCategory c WHERE c.Code = @category", new { category }, tx) ?? category));

        var certifications = await connection.QueryAsync<Certification>(
            """
            SELECT c.Id, c.Name, c.Threshold FROM Certification c JOIN CertificationExercise x ON x.CertificationId = c.Id
            WHERE x.ExerciseId = @exerciseId AND NOT EXISTS (SELECT 1 FROM UserCertification u WHERE u.CertificationId = c.Id AND u.UserId = @userId)
            """, new { exerciseId, userId }, tx);
        foreach (var certification in certifications)
        {
            var best = (await connection.QueryAsync<double?>(
                """
                SELECT (SELECT MAX(a.Score) FROM Attempt a WHERE a.ExerciseId = x.ExerciseId AND a.UserId = @userId)
                FROM CertificationExercise x WHERE x.CertificationId = @Id
                """, new { userId, certification.Id }, tx)).ToList();
            if (best.Count == 0 || best.Any(s => s is null))
                continue;
            var average = best.Average(s => s!.Value);
            if (average < certification.Threshold)
                continue;
            await connection.ExecuteAsync(
                "INSERT INTO UserCertification (CertificationId, UserId, Score, AwardedAt) VALUES (@Id, @userId, @average, @now)",
                new { certification.Id, userId, average, now }, tx);
            await AwardAsync(connection, tx, userId, "certified", certification.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), now);
            earned.Add(await Named("certified", certification.Name));
        }
        return earned;
    }

    private sealed class Certification
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public int Threshold { get; init; }
    }
}
