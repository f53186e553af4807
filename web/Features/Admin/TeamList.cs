using CallReview.Web.Features.Audit;
using System.ComponentModel.DataAnnotations;
using CallReview.Db;
using Dapper;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Admin;

/// <summary>Teams: listing (with member counts) and creating.</summary>
public static class TeamList
{
    public sealed class Row
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public int Members { get; init; }
    }

    public sealed class Form
    {
        [Required, MinLength(2), FitsColumn("Team", "Name")]
        public string Name { get; set; } = "";
    }

    public sealed record Model(IReadOnlyList<Row> Teams, Form Form);

    public sealed class Handler(IDbConnectionFactory db, TimeProvider clock, AuditLog audit)
    {
        public async Task<IReadOnlyList<Row>> ListAsync(CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var rows = await connection.QueryAsync<Row>(
                """
                SELECT t.Id, t.Name, (SELECT COUNT(*) FROM TeamMember m WHERE m.TeamId = t.Id) AS Members
                FROM Team t ORDER BY t.Name
                """);
            return rows.ToList();
        }

        /// <summary>Creates the team (answers its name); invalid when the name is taken.</summary>
        public async Task<Outcome<string>> CreateAsync(Form form, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var name = form.Name.Trim();
            if (await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Team WHERE lower(Name) = lower(@name)", new { name }) > 0)
                return Outcome.Invalid(nameof(Form.Name), new Message("A team called \"{0}\" already exists.", name));
            var id = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("Team", "Name, CreatedAt", "@name, @now"), new { name, now = clock.GetUtcNow() });
            await audit.RecordAsync(AuditActions.TeamCreated, "Team", id, name, ct);
            return Outcome.Done(name);
        }
    }
}
