using CallReview.Web.Features.Audit;
using System.ComponentModel.DataAnnotations;
using CallReview.Db;
using Dapper;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Review;

/// <summary>
/// The admin edits the scorecard rubric. Saving never changes a version: it publishes a new one and makes it
/// current, so scorecards already saved keep the criteria they were scored against.
/// </summary>
public static class EditRubric
{
    public sealed class CriterionForm
    {
        [FitsColumn("RubricCriterion", "Section")] public string? Section { get; set; }
        [FitsColumn("RubricCriterion", "Title")] public string? Title { get; set; }
        [FitsColumn("RubricCriterion", "Guidance")] public string? Guidance { get; set; }
        public string Scale { get; set; } = "points";
        [Range(1, 10)] public int MaxPoints { get; set; } = 4;
        [Range(0.1, 100)] public double Weight { get; set; } = 1;
        public bool IsAutoFail { get; set; }
        public bool Remove { get; set; }
    }

    public sealed class Form
    {
        public List<CriterionForm> Criteria { get; set; } = [];
    }

    public sealed record Model(string RubricName, int CurrentVersion, Form Form);

    private sealed class Current
    {
        public int Id { get; init; }
        public int RubricId { get; init; }
        public int Number { get; init; }
        public string Name { get; init; } = "";
    }

    public sealed class Handler(IDbConnectionFactory db, TimeProvider clock, AuditLog audit)
    {
        public const int BlankRows = 2;

        public async Task<Model> LoadAsync(CancellationToken ct, Form? form = null)
        {
            await using var connection = await db.OpenAsync(ct);
            var current = await CurrentAsync(connection, null);
            if (form is null)
            {
                var criteria = await ScorecardPanel.Handler.CriteriaAsync(connection, current.Id, asStored: true);
                form = new Form
                {
                    Criteria = criteria.Select(c => new CriterionForm
                    {
                        Section = c.Section, Title = c.Title, Guidance = c.Guidance, Scale = c.Scale, MaxPoints = c.MaxPoints,
                        Weight = c.Weight, IsAutoFail = c.IsAutoFail,
                    }).Concat(Enumerable.Range(0, BlankRows).Select(_ => new CriterionForm())).ToList(),
                };
            }
            return new Model(current.Name, current.Number, form);
        }

        /// <summary>Publishes the form as the rubric's next version; answers its number.</summary>
        public async Task<Outcome<int>> PublishAsync(Form form, int userId, CancellationToken ct)
        {
            var kept = form.Criteria.Where(c => !c.Remove && !string.IsNullOrWhiteSpace(c.Title)).ToList();
            if (kept.Count == 0)
                return Outcome.Invalid("", "A rubric needs at least one criterion.");
            if (kept.Any(c => c.Scale is not ("points" or "yesno")))
                return Outcome.Invalid("", "Scale must be points or yes/no.");
            await using var connection = await db.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            // Write first, read after: the no-op update takes the write lock (SQLite's database lock, SQL Server's row
            // lock), so a concurrent publish waits here and then reads the version this one made, never the same one.
            await connection.ExecuteAsync("UPDATE RubricVersion SET IsCurrent = 1 WHERE IsCurrent = 1", transaction: tx);
            var current = await CurrentAsync(connection, tx);
            var number = current.Number + 1;
            await connection.ExecuteAsync("UPDATE RubricVersion SET IsCurrent = 0 WHERE RubricId = @RubricId", new { current.RubricId }, tx);
            var versionId = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("RubricVersion",
                "RubricId, Number, IsCurrent, CreatedByUserId, CreatedAt", "@RubricId, @number, 1, @userId, @now"),
                new { current.RubricId, number, userId, now = clock.GetUtcNow() }, tx);
            await connection.ExecuteAsync(
                """
                INSERT INTO RubricCriterion (RubricVersionId, Section, Title, Guidance, Scale, MaxPoints, Weight, IsAutoFail, SortOrder)
                VALUES (@versionId, @Section, @Title, @Guidance, @Scale, @MaxPoints, @Weight, @IsAutoFail, @SortOrder)
                """,
                kept.Select((c, i) => new
                {
                    versionId, Section = string.IsNullOrWhiteSpace(c.Section) ? "General" : c.Section.Trim(), Title = c.Title!.Trim(),
                    Guidance = c.Guidance?.Trim() ?? "", c.Scale, MaxPoints = c.Scale == "yesno" ? 1 : c.MaxPoints, c.Weight, c.IsAutoFail,
                    SortOrder = (i + 1) * 10,
                }), tx);
            await RubricNames.CarryOverAsync(connection, tx, db.Dialect, current.Id, versionId);
            await tx.CommitAsync(ct);
            await audit.RecordAsync(AuditActions.RubricPublished, "RubricVersion", versionId, $"version {number}, {kept.Count} criteria", ct);
            return Outcome.Done(number);
        }

        private async Task<Current> CurrentAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? tx) =>
            await connection.QuerySingleAsync<Current>(
                $"""
                SELECT v.Id, v.RubricId, v.Number, r.Name FROM RubricVersion v JOIN Rubric r ON r.Id = v.RubricId
                WHERE v.IsCurrent = 1 ORDER BY v.Id DESC {db.Dialect.Page}
                """, new { Offset = 0, Limit = 1 }, tx);
    }
}
