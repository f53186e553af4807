using CallReview.Web.Features.Audit;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using Dapper;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Calibration;

/// <summary>Calibration sessions: the list a reviewer or supervisor sees, and a supervisor sending a call to several reviewers.</summary>
public static class CalibrationSessions
{
    public sealed class Row
    {
        public int Id { get; init; }
        public string Title { get; init; } = "";
        public int CallId { get; init; }
        public string CallTitle { get; init; } = "";
        public int Participants { get; init; }
        public int Submitted { get; init; }
        public bool IsParticipant { get; init; }
        public DateTimeOffset? MySubmittedAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }

    public sealed class Option
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
    }

    public sealed class Form
    {
        public int CallId { get; set; }
        [FitsColumn("CalibrationSession", "Title")] public string? Title { get; set; }
        public List<int> Reviewers { get; set; } = [];
        public int? Benchmark { get; set; }
    }

    public sealed record Model(IReadOnlyList<Row> Sessions, IReadOnlyList<Option> Calls, IReadOnlyList<Option> Reviewers, Form Form, bool CanCreate);

    public sealed class Handler(IDbConnectionFactory db, CallAccess calls, TimeProvider clock, AuditLog audit)
    {
        public async Task<Model> LoadAsync(CurrentUser user, Form? form, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var parameters = CallAccess.Parameters(user);
            var sessions = await connection.QueryAsync<Row>(
                $"""
                SELECT s.Id, s.Title, s.CallId, c.Title AS CallTitle, s.CreatedAt,
                    (SELECT COUNT(*) FROM CalibrationParticipant p WHERE p.SessionId = s.Id) AS Participants,
                    (SELECT COUNT(*) FROM CalibrationParticipant p WHERE p.SessionId = s.Id AND p.SubmittedAt IS NOT NULL) AS Submitted,
                    CASE WHEN me.UserId IS NULL THEN 0 ELSE 1 END AS IsParticipant, me.SubmittedAt AS MySubmittedAt
                FROM CalibrationSession s
                JOIN Call c ON c.Id = s.CallId
                LEFT JOIN CalibrationParticipant me ON me.SessionId = s.Id AND me.UserId = @AccessUserId
                WHERE (me.UserId IS NOT NULL OR s.CreatedByUserId = @AccessUserId) AND {CallAccess.VisibleTo(user)}
                ORDER BY s.CreatedAt DESC, s.Id DESC
                """, parameters);
            var canCreate = CalibrationAccess.MayCreate(user);
            IEnumerable<Option> callOptions = [], reviewers = [];
            if (canCreate)
            {
                callOptions = await connection.QueryAsync<Option>(
                    $"""
                    SELECT c.Id, c.Title AS Name FROM Call c
                    WHERE {CallAccess.VisibleTo(user)} AND EXISTS (SELECT 1 FROM Segment s WHERE s.CallId = c.Id)
                    ORDER BY c.CreatedAt DESC, c.Id DESC
                    """, parameters);
                reviewers = await ReviewersAsync(connection, user);
            }
            return new Model(sessions.ToList(), callOptions.ToList(), reviewers.ToList(), form ?? new Form(), canCreate);
        }

        /// <summary>Creates the session; answers its id.</summary>
        public async Task<Outcome<int>> CreateAsync(Form form, CurrentUser user, CancellationToken ct)
        {
            var reviewers = form.Reviewers.Distinct().ToList();
            if (await calls.FindAsync(form.CallId, user, ct) is not { } call)
                return Outcome.Invalid(nameof(Form.CallId), "Choose a call.");
            if (reviewers.Count < 2)
                return Outcome.Invalid(nameof(Form.Reviewers), "Choose at least two reviewers.");
            if (form.Benchmark is { } benchmark && !reviewers.Contains(benchmark))
                return Outcome.Invalid(nameof(Form.Benchmark), "The benchmark must be one of the chosen reviewers.");
            await using var connection = await db.OpenAsync(ct);
            var allowed = (await ReviewersAsync(connection, user)).Select(r => r.Id).ToHashSet();
            if (reviewers.Any(r => !allowed.Contains(r)))
                return Outcome.Invalid(nameof(Form.Reviewers), "Only reviewers of your teams can be chosen.");
            await using var tx = await connection.BeginTransactionAsync(ct);
            var title = string.IsNullOrWhiteSpace(form.Title) ? ColumnLimits.Fit($"Calibration: {call.Title}", "CalibrationSession", "Title") : form.Title.Trim();
            var id = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("CalibrationSession",
                "CallId, Title, BenchmarkUserId, CreatedByUserId, CreatedAt", "@CallId, @title, @Benchmark, @UserId, @now"),
                new { form.CallId, title, form.Benchmark, UserId = user.Id, now = clock.GetUtcNow() }, tx);
            await connection.ExecuteAsync("INSERT INTO CalibrationParticipant (SessionId, UserId) VALUES (@id, @UserId)",
                reviewers.Select(r => new { id, UserId = r }), tx);
            await tx.CommitAsync(ct);
            await audit.RecordAsync(AuditActions.CalibrationCreated, "CalibrationSession", id, $"call {form.CallId}, {reviewers.Count} reviewers", ct);
            return Outcome.Done(id);
        }

        /// <summary>Active reviewers and supervisors who share a team with the supervisor.</summary>
        private static Task<IEnumerable<Option>> ReviewersAsync(System.Data.Common.DbConnection connection, CurrentUser user) =>
            connection.QueryAsync<Option>(
                $"SELECT u.Id, u.DisplayName AS Name FROM UserAccount u WHERE {CalibrationAccess.Participant} ORDER BY u.DisplayName",
                new { userId = user.Id });
    }
}
