using CallReview.Web.Features.Audit;
using System.ComponentModel.DataAnnotations;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using Dapper;
using CallReview.Web.Features.Shared;

namespace CallReview.Web.Features.Exercises;

/// <summary>A supervisor assigns a published exercise to one of their teams, or to one learner of it, with a due date.</summary>
public static class AssignExercise
{
    public sealed class Form
    {
        public int TeamId { get; set; }
        public int? UserId { get; set; }
        public DateOnly? Due { get; set; }
        [DisplayFormat(ConvertEmptyStringToNull = false)]
        public string Note { get; set; } = "";
    }

    public sealed class Handler(IDbConnectionFactory db, TimeProvider clock, AuditLog audit)
    {
        public async Task<Outcome<Outcome.Unit>> AssignAsync(int exerciseId, Form form, CurrentUser user, CancellationToken ct)
        {
            if (!user.TeamIds.Contains(form.TeamId))
                return Outcome.Invalid(nameof(Form.TeamId), "You can only assign to your own teams.");
            if (form.Due is not { } due || due < DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
                return Outcome.Invalid(nameof(Form.Due), "Choose a due date from today on.");
            await using var connection = await db.OpenAsync(ct);
            var published = await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM ExerciseTeam et JOIN Exercise e ON e.Id = et.ExerciseId WHERE e.Id = @exerciseId AND e.Status = 'published' AND et.TeamId = @TeamId",
                new { exerciseId, form.TeamId });
            if (published == 0)
                return Outcome.Invalid(nameof(Form.TeamId), "Publish the exercise to that team first.");
            if (form.UserId is { } learner && await connection.ExecuteScalarAsync<int>(
                    "SELECT COUNT(*) FROM TeamMember WHERE TeamId = @TeamId AND UserId = @learner", new { form.TeamId, learner }) == 0)
                return Outcome.Invalid(nameof(Form.UserId), "That learner is not in the team.");
            // Due at the end of the chosen day (UTC).
            var dueAt = new DateTimeOffset(due.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero);
            await connection.ExecuteAsync(
                """
                INSERT INTO Assignment (ExerciseId, TeamId, UserId, AssignedByUserId, DueAt, Note, CreatedAt)
                VALUES (@exerciseId, @TeamId, @UserId, @AssignedBy, @dueAt, @Note, @now)
                """, new { exerciseId, form.TeamId, form.UserId, AssignedBy = user.Id, dueAt, Note = form.Note.Trim(), now = clock.GetUtcNow() });
            await audit.RecordAsync(AuditActions.ExerciseAssigned, "Exercise", exerciseId,
                $"team {form.TeamId}{(form.UserId is { } assigned ? $", learner {assigned}" : "")}, due {due:yyyy-MM-dd}", ct);
            return Outcome.Done();
        }
    }
}
