using CallReview.Db;
using CallReview.Web.Features.Accounts;
using Dapper;

namespace CallReview.Web.Features.Practice;

/// <summary>
/// Who may read and write an exercise's discussion: people of a team it is published to, its reviewers and
/// supervisors at once, a learner only after submitting (before that the moments would give the answer away).
/// Supervisors pin posts. Every discussion route asks here, so an exercise out of reach is a 404.
/// </summary>
public sealed class DiscussionAccess(IDbConnectionFactory db)
{
    public static bool MayPin(CurrentUser user) => user.Allows(Policies.Supervise);

    /// <summary>Whether the user may read the exercise's thread, or the moment's when answerId is given (it must be one of the exercise's).</summary>
    public async Task<bool> MayReadAsync(int exerciseId, int? answerId, CurrentUser user, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var onTeam = await connection.ExecuteScalarAsync<int>(
            $"SELECT COUNT(*) FROM Exercise e WHERE e.Id = @exerciseId AND {LearnerExercises.PublishedTo} AND {Discussion.AnswerOfExercise}", new { exerciseId, answerId, LearnerId = user.Id }) > 0;
        if (!onTeam)
            return false;
        if (user.Allows(Policies.Review))
            return true;
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM Attempt WHERE ExerciseId = @exerciseId AND UserId = @Id", new { exerciseId, user.Id }) > 0;
    }
}
