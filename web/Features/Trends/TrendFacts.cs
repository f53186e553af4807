using System.Data.Common;
using CallReview.Db;
using Dapper;
using CallReview.Web.Features.Accounts;

namespace CallReview.Web.Features.Trends;

/// <summary>
/// The evaluations behind the trends, read for one filtered range: reviewed calls (a call counts as reviewed
/// once it has a scorecard outside calibration; the first such scorecard is its review), their annotations
/// per category, rubric answers, exercise attempts and pins, assignments, calibration pins and disputes.
/// Rows are grouped into periods in C#, where the reporting time zone is known; the SQL is the same for
/// SQLite and SQL Server.
/// </summary>
public sealed class TrendFacts
{
    public sealed class Review
    {
        public int CallId { get; init; }
        public string Title { get; init; } = "";
        public int? AgentUserId { get; init; }
        public string AgentName { get; init; } = "";
        public DateTimeOffset CallAt { get; init; }
        public DateTimeOffset ReviewedAt { get; init; }
        public int ResultId { get; init; }
        public double Score { get; init; }
        public bool AutoFailed { get; init; }
        public int RubricNumber { get; init; }
        public string ReviewerName { get; init; } = "";
        /// <summary>Unmet needs on the call (of the filtered category, when there is one) and model moments.</summary>
        public int Unmet { get; init; }
        public int Model { get; init; }
        /// <summary>The local day the call is grouped by (call or review date, per the filter).</summary>
        public DateOnly Day { get; set; }
    }

    /// <summary>
    /// Unmet needs of one category on the reviewed calls of one period, summed in SQL: the sum and the sum of
    /// squares of each call's count are all a mean and its interval need, so a million annotations stay in the database.
    /// </summary>
    public sealed class CategoryTotal
    {
        public int PeriodIndex { get; init; }
        public string CategoryCode { get; init; } = "";
        public long Sum { get; init; }
        public long SumSquares { get; init; }
    }

    public sealed class CriterionCount
    {
        public string Section { get; init; } = "";
        public string Title { get; init; } = "";
        public string Scale { get; init; } = "";
        public int MaxPoints { get; init; }
        public bool IsAutoFail { get; init; }
        public int RubricNumber { get; init; }
        public int? Points { get; init; }
        public int Count { get; init; }
    }

    public sealed class Attempt
    {
        public int Id { get; init; }
        public int UserId { get; init; }
        public string UserName { get; init; } = "";
        public int ExerciseId { get; init; }
        public string ExerciseTitle { get; init; } = "";
        public DateTimeOffset SubmittedAt { get; init; }
        public double Score { get; init; }
        public DateOnly Day { get; set; }
    }

    /// <summary>A learner's pin matched to an expert answer: how far off in time, and whether the category was right.</summary>
    public sealed class Pin
    {
        public int AttemptId { get; init; }
        public string CategoryCode { get; init; } = "";
        public long TimingErrorMs { get; init; }
        public bool CategoryMatch { get; init; }
    }

    public sealed class AssignmentTarget
    {
        public int AssignmentId { get; init; }
        public string ExerciseTitle { get; init; } = "";
        public DateTimeOffset DueAt { get; init; }
        public int UserId { get; init; }
        public string UserName { get; init; } = "";
        public bool Completed { get; init; }
    }

    public sealed class CalibrationPin
    {
        public int SessionId { get; init; }
        public string Title { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public int Reviewer { get; init; }
        public long StartMs { get; init; }
        public string Category { get; init; } = "";
    }

    public sealed class Dispute
    {
        public int Id { get; init; }
        public int CallId { get; init; }
        public string Title { get; init; } = "";
        public string AgentName { get; init; } = "";
        public string? CategoryCode { get; init; }
        public string? CriterionTitle { get; init; }
        public long? StartMs { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? ResolvedAt { get; init; }
        public bool Upheld => Status is "changed" or "removed";
        public bool Rejected => Status == "kept";
    }

    public required IReadOnlyList<Review> Reviews { get; init; }
    public required IReadOnlyList<CategoryTotal> Categories { get; init; }
    public required IReadOnlyList<CriterionCount> Criteria { get; init; }
    public required IReadOnlyList<Attempt> Attempts { get; init; }
    public required IReadOnlyList<Pin> Pins { get; init; }
    public required IReadOnlyList<AssignmentTarget> Assignments { get; init; }
    public required IReadOnlyList<CalibrationPin> CalibrationPins { get; init; }
    public required IReadOnlyList<Dispute> Disputes { get; init; }

    /// <summary>
    /// SQL: the reviewed calls in range (aliases r = the review, c = the call), with scope and filters. An agent looking at
    /// their own numbers does not see a call while an exercise built on it waits for their attempt: its pins are the answer.
    /// </summary>
    public static string ReviewedCalls(TrendQuery query, TrendScope scope, string joins = "") =>
        $"""
        FROM ScorecardResult r
        JOIN Call c ON c.Id = r.CallId
        {joins}
        WHERE r.CalibrationSessionId IS NULL
          AND NOT EXISTS (SELECT 1 FROM ScorecardResult e WHERE e.CallId = r.CallId AND e.CalibrationSessionId IS NULL AND e.Id < r.Id)
          AND {DateOf(query)} >= @FromAt AND {DateOf(query)} < @ToAt
          AND {scope.Condition(query, "c.AgentUserId", CallAt, "c.TeamId")}
          {(scope.OnlyAgent is null ? "" : $"AND NOT EXISTS (SELECT 1 FROM Exercise e WHERE {Practice.LearnerExercises.AwaitingAttemptOn("c.Id")})")}
        """;

    /// <summary>When the call took place: its start, else when it was stored (a generated, indexed column).</summary>
    public const string CallAt = "c.CallAt";

    /// <summary>
    /// SQL: the index of the period a reviewed call falls in, from the periods' first instants in the reporting time
    /// zone (parameters @Period1…), so SQL groups exactly as <see cref="Periods.LocalDay"/> does in C#.
    /// </summary>
    private static string PeriodIndex(TrendQuery query, TimeZoneInfo zone, DynamicParameters parameters)
    {
        var periods = Periods.Between(query.From, query.To, query.By);
        if (periods.Count == 1)
            return "0";
        var cases = new List<string>();
        for (var i = 1; i < periods.Count; i++)
        {
            parameters.Add("Period" + i, Periods.StartInstant(periods[i].Start, zone));
            cases.Add($"WHEN {DateOf(query)} < @Period{i} THEN {i - 1}");
        }
        return $"CASE {string.Join(' ', cases)} ELSE {periods.Count - 1} END";
    }

    private static string DateOf(TrendQuery query) => query.DateBasis == "review" ? "r.CreatedAt" : CallAt;

    public static async Task<IReadOnlyList<Review>> ReviewsAsync(DbConnection connection, TrendQuery query, TrendScope scope, TimeZoneInfo zone)
    {
        var reviews = (await connection.QueryAsync<Review>(
            $"""
            SELECT c.Id AS CallId, c.Title, c.AgentUserId, COALESCE(au.DisplayName, c.AgentName, '') AS AgentName,
                   {CallAt} AS CallAt, r.CreatedAt AS ReviewedAt, r.Id AS ResultId, r.Score, r.AutoFailed,
                   v.Number AS RubricNumber, ru.DisplayName AS ReviewerName,
                   (SELECT COUNT(*) FROM Annotation a WHERE a.CallId = c.Id AND a.Kind = 'unmet' AND (@Category IS NULL OR a.CategoryCode = @Category)
                      AND a.CalibrationSessionId IS NULL AND a.DeletedAt IS NULL) AS Unmet,
                   (SELECT COUNT(*) FROM Annotation a WHERE a.CallId = c.Id AND a.Kind = 'exemplary'
                      AND a.CalibrationSessionId IS NULL AND a.DeletedAt IS NULL) AS Model
            {ReviewedCalls(query, scope, """
                JOIN RubricVersion v ON v.Id = r.RubricVersionId
                JOIN UserAccount ru ON ru.Id = r.ReviewerUserId
                LEFT JOIN UserAccount au ON au.Id = c.AgentUserId
                """)}
            """, scope.Parameters(query, zone))).ToList();
        foreach (var review in reviews)
            review.Day = Periods.LocalDay(query.DateBasis == "review" ? review.ReviewedAt : review.CallAt, zone);
        return reviews;
    }

    public sealed class Handler(IDbConnectionFactory db)
    {
        public async Task<TrendFacts> LoadAsync(TrendQuery query, TrendScope scope, TimeZoneInfo zone, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var parameters = scope.Parameters(query, zone);
            var reviews = await ReviewsAsync(connection, query, scope, zone);
            var categories = await connection.QueryAsync<CategoryTotal>(
                $"""
                SELECT x.PeriodIndex, x.CategoryCode, SUM(x.Count) AS Sum, SUM(x.Count * x.Count) AS SumSquares
                FROM (SELECT rc.PeriodIndex, a.CallId, a.CategoryCode, COUNT(*) AS Count
                      FROM Annotation a
                      JOIN (SELECT r.CallId, {PeriodIndex(query, zone, parameters)} AS PeriodIndex {ReviewedCalls(query, scope)}) rc ON rc.CallId = a.CallId
                      WHERE a.Kind = 'unmet' AND a.CalibrationSessionId IS NULL AND a.DeletedAt IS NULL
                        AND (@Category IS NULL OR a.CategoryCode = @Category)
                      GROUP BY rc.PeriodIndex, a.CallId, a.CategoryCode) x
                GROUP BY x.PeriodIndex, x.CategoryCode
                """, parameters);
            var criteria = await connection.QueryAsync<CriterionCount>(
                $"""
                SELECT cr.Section, cr.Title, cr.Scale, cr.MaxPoints, cr.IsAutoFail, v.Number AS RubricNumber, x.Points, x.Count
                FROM (SELECT sa.CriterionId, sa.Points, COUNT(*) AS Count FROM ScorecardAnswer sa
                      WHERE sa.ResultId IN (SELECT r.Id {ReviewedCalls(query, scope)})
                      GROUP BY sa.CriterionId, sa.Points) x
                JOIN RubricCriterion cr ON cr.Id = x.CriterionId
                JOIN RubricVersion v ON v.Id = cr.RubricVersionId
                """, parameters);

            var attemptScope = $"t.SubmittedAt >= @FromAt AND t.SubmittedAt < @ToAt AND {scope.Condition(query, "t.UserId", "t.SubmittedAt", null)}";
            var attempts = (await connection.QueryAsync<Attempt>(
                $"""
                SELECT t.Id, t.UserId, u.DisplayName AS UserName, t.ExerciseId, e.Title AS ExerciseTitle, t.SubmittedAt, t.Score
                FROM Attempt t JOIN UserAccount u ON u.Id = t.UserId JOIN Exercise e ON e.Id = t.ExerciseId
                WHERE {attemptScope}
                """, parameters)).ToList();
            foreach (var attempt in attempts)
                attempt.Day = Periods.LocalDay(attempt.SubmittedAt, zone);
            var pins = await connection.QueryAsync<Pin>(
                $"""
                SELECT p.AttemptId, ea.CategoryCode, ABS(p.AtMs - ea.StartMs) AS TimingErrorMs, p.CategoryMatch
                FROM AttemptPin p JOIN ExerciseAnswer ea ON ea.Id = p.AnswerId JOIN Attempt t ON t.Id = p.AttemptId
                WHERE {attemptScope}
                """, parameters);
            var assignments = await connection.QueryAsync<AssignmentTarget>(
                $"""
                SELECT a.Id AS AssignmentId, e.Title AS ExerciseTitle, a.DueAt, x.UserId, u.DisplayName AS UserName,
                       CASE WHEN EXISTS (SELECT 1 FROM Attempt t WHERE t.ExerciseId = a.ExerciseId AND t.UserId = x.UserId AND t.SubmittedAt <= a.DueAt) THEN 1 ELSE 0 END AS Completed
                FROM Assignment a
                JOIN Exercise e ON e.Id = a.ExerciseId
                JOIN (SELECT a1.Id AS AssignmentId, a1.UserId FROM Assignment a1 WHERE a1.UserId IS NOT NULL
                      UNION ALL
                      SELECT a2.Id, m.UserId FROM Assignment a2
                      JOIN TeamMembership m ON m.TeamId = a2.TeamId AND m.FromAt <= a2.DueAt AND (m.ToAt IS NULL OR m.ToAt > a2.DueAt)
                      WHERE a2.UserId IS NULL) x ON x.AssignmentId = a.Id
                JOIN UserAccount u ON u.Id = x.UserId
                WHERE a.DueAt >= @FromAt AND a.DueAt < @ToAt
                  AND {Roles.HeldBy("x.UserId", Roles.Learner)}
                  AND {scope.Condition(query, "x.UserId", "a.DueAt", null)}
                """, parameters);
            var calibration = await connection.QueryAsync<CalibrationPin>(
                $"""
                SELECT s.Id AS SessionId, s.Title, s.CreatedAt, a.AuthorUserId AS Reviewer, a.StartMs, a.CategoryCode AS Category
                FROM CalibrationSession s
                JOIN Call c ON c.Id = s.CallId
                JOIN CalibrationParticipant p ON p.SessionId = s.Id AND p.SubmittedAt IS NOT NULL
                JOIN Annotation a ON a.CalibrationSessionId = s.Id AND a.AuthorUserId = p.UserId AND a.DeletedAt IS NULL AND a.Kind = 'unmet'
                WHERE s.CreatedAt >= @FromAt AND s.CreatedAt < @ToAt
                  AND {scope.Condition(query with { Agent = null }, "c.AgentUserId", CallAt, "c.TeamId")}
                """, parameters);
            var disputes = await connection.QueryAsync<Dispute>(
                $"""
                SELECT d.Id, d.CallId, c.Title, u.DisplayName AS AgentName, a.CategoryCode, cr.Title AS CriterionTitle, a.StartMs,
                       d.Status, d.CreatedAt, d.ResolvedAt
                FROM Dispute d
                JOIN Call c ON c.Id = d.CallId
                JOIN UserAccount u ON u.Id = d.AgentUserId
                LEFT JOIN Annotation a ON a.Id = d.AnnotationId
                LEFT JOIN RubricCriterion cr ON cr.Id = d.CriterionId
                WHERE d.CreatedAt >= @FromAt AND d.CreatedAt < @ToAt
                  AND {scope.Condition(query, "d.AgentUserId", CallAt, null)}
                """, parameters);
            return new TrendFacts
            {
                Reviews = reviews,
                Categories = categories.ToList(),
                Criteria = criteria.ToList(),
                Attempts = attempts,
                Pins = pins.ToList(),
                Assignments = assignments.ToList(),
                CalibrationPins = calibration.ToList(),
                Disputes = disputes.ToList(),
            };
        }
    }
}
