using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using Dapper;

namespace CallReview.Web.Features.Exercises;

/// <summary>
/// Who may open and change an exercise in the builder: its author, and the reviewers and supervisors who share a
/// team with the author, provided they may open its calls (<see cref="CallAccess"/>). A call every reviewer can
/// open (a shared sample) does not make its exercises everyone's. Every builder route asks here, so another
/// team's exercise is a 404 everywhere. (Learners reach published exercises through Practice instead.)
/// </summary>
public sealed class ExerciseAccess(IDbConnectionFactory db)
{
    /// <summary>Assigns exercises and sets certifications: supervisors, as <see cref="Policies.Supervise"/>.</summary>
    public static bool MaySupervise(CurrentUser user) => user.Allows(Policies.Supervise);

    /// <summary>SQL condition on alias <c>e</c> (Exercise); parameters from <see cref="CallAccess.Parameters"/>.</summary>
    public static string EditableBy(CurrentUser user) =>
        $"""
        (e.CreatedByUserId = @AccessUserId
          OR EXISTS (SELECT 1 FROM TeamMember author JOIN TeamMember mine ON mine.TeamId = author.TeamId
                     WHERE author.UserId = e.CreatedByUserId AND mine.UserId = @AccessUserId))
        AND EXISTS (SELECT 1 FROM Call c WHERE c.Id = e.CallId AND {CallAccess.VisibleTo(user)})
        AND (e.SecondCallId IS NULL OR EXISTS (SELECT 1 FROM Call c WHERE c.Id = e.SecondCallId AND {CallAccess.VisibleTo(user)}))
        """;

    public async Task<ExerciseRecord?> FindAsync(int id, CurrentUser user, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var parameters = new DynamicParameters(CallAccess.Parameters(user));
        parameters.Add("id", id);
        return await connection.QuerySingleOrDefaultAsync<ExerciseRecord>(
            $"SELECT {ExerciseRecord.Columns} FROM Exercise e WHERE e.Id = @id AND {EditableBy(user)}", parameters);
    }
}
