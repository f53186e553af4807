using CallReview.Web.Features.Audit;
using System.ComponentModel.DataAnnotations;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using Dapper;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Exercises;

/// <summary>A supervisor defines a certification: a set of exercises and the average score that passes it.</summary>
public static class Certifications
{
    public sealed class Form
    {
        [DisplayFormat(ConvertEmptyStringToNull = false), FitsColumn("Certification", "Name")]
        public string Name { get; set; } = "";
        [Range(1, 100)] public int Threshold { get; set; } = 80;
        public List<int> ExerciseIds { get; set; } = [];
    }

    public sealed class Row
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public int Threshold { get; init; }
        public int Exercises { get; init; }
        public int Certified { get; init; }
    }

    public sealed class Handler(IDbConnectionFactory db, TimeProvider clock, AuditLog audit)
    {
        public async Task<IReadOnlyList<Row>> ListAsync(CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            return (await connection.QueryAsync<Row>(
                """
                SELECT c.Id, c.Name, c.Threshold,
                       (SELECT COUNT(*) FROM CertificationExercise x WHERE x.CertificationId = c.Id) AS Exercises,
                       (SELECT COUNT(*) FROM UserCertification u WHERE u.CertificationId = c.Id) AS Certified
                FROM Certification c ORDER BY c.Name
                """)).ToList();
        }

        /// <summary>Creates the certification; answers its id.</summary>
        public async Task<Outcome<int>> CreateAsync(Form form, CurrentUser user, CancellationToken ct)
        {
            if (string.IsNullOrWhiteSpace(form.Name) || form.Name.Length > 200)
                return Outcome.Invalid(nameof(Form.Name), "Name the certification (up to 200 characters).");
            if (form.Threshold is < 1 or > 100)
                return Outcome.Invalid(nameof(Form.Threshold), "The pass mark is 1 to 100.");
            if (form.ExerciseIds.Count == 0)
                return Outcome.Invalid(nameof(Form.ExerciseIds), "Choose the exercises of the set.");
            await using var connection = await db.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var id = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("Certification",
                "Name, Threshold, CreatedByUserId, CreatedAt", "@Name, @Threshold, @UserId, @now"),
                new { Name = form.Name.Trim(), form.Threshold, UserId = user.Id, now = clock.GetUtcNow() }, tx);
            await connection.ExecuteAsync(
                $"""
                INSERT INTO CertificationExercise (CertificationId, ExerciseId)
                SELECT @id, e.Id FROM Exercise e WHERE e.Id = @exerciseId AND e.Status = 'published' AND {ExerciseAccess.EditableBy(user)}
                """,
                form.ExerciseIds.Distinct().Select(exerciseId => new { id, exerciseId, AccessUserId = user.Id }), tx);
            await tx.CommitAsync(ct);
            await audit.RecordAsync(AuditActions.CertificationCreated, "Certification", id, form.Name.Trim(), ct);
            return Outcome.Done(id);
        }
    }
}
