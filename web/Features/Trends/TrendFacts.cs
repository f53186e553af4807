using System.Data.Common;
using CallReview.Db;
using CallReview.Web.Features.Shared;
using Dapper;
using CallReview.Web.Features.Accounts;

namespace CallReview.Web.Features.Trends;

/// <summary>
/// The evaluations behind the trends, read for one filtered range from the facts <see cref="TrendFactStore"/> keeps:
/// reviewed calls (a call counts as reviewed once it has a scorecard outside calibration; the first such scorecard is
/// its review) with their counts per call, unmet needs per category and rubric answers summed per day and team set,
/// then exercise attempts and pins, assignments, calibration pins and disputes from their own (smaller) tables.
/// Days are local days of the reporting time zone; the SQL is the same for SQLite and SQL Server.
/// </summary>
public sealed class TrendFacts
{
    public sealed class Review
    {
        public int CallId { get; init; }
        public string Title { get; init; } = "";
        public int? AgentUserId { get; init; }
        public string AgentName { get; init; } = "";
        public double Score { get; init; }
        public bool AutoFailed { get; init; }
        public int RubricNumber { get; init; }
        /// <summary>Unmet needs on the call (of the filtered category, when there is one) and model moments.</summary>
        public int Unmet { get; init; }
        public int Model { get; init; }
        /// <summary>The local day the call is grouped by (call or review date, per the filter), as a day number.</summary>
        public int DayNumber { get; init; }
        public DateOnly Day => DateOnly.FromDayNumber(DayNumber);
    }

    /// <summary>
    /// The reviewed calls of one period, agent and rubric version, summed in SQL: n, and the sum and sum of squares of
    /// each call's unmet needs, model moments and score, and the auto-fails. A mean and its Student's t interval need no
    /// more (<see cref="TrendStats.MeanFromSums"/>), and the calls stay in the database.
    /// </summary>
    public sealed class ReviewSums
    {
        public int PeriodIndex { get; init; }
        public int? AgentUserId { get; init; }
        public string AgentName { get; init; } = "";
        public int RubricNumber { get; init; }
        public int N { get; init; }
        public long UnmetSum { get; init; }
        public long UnmetSquares { get; init; }
        public long ModelSum { get; init; }
        public long ModelSquares { get; init; }
        public double ScoreSum { get; init; }
        public double ScoreSquares { get; init; }
        public int AutoFails { get; init; }
    }

    /// <summary>
    /// Unmet needs of one category on the reviewed calls of one period: the sum and the sum of squares of each call's
    /// count are all a mean and its interval need, so a million annotations stay in the database.
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

    public required IReadOnlyList<ReviewSums> Sums { get; init; }
    /// <summary>The reviewed calls one by one: loaded only for the pages that list them.</summary>
    public required IReadOnlyList<Review> Reviews { get; init; }
    public required IReadOnlyList<CategoryTotal> Categories { get; init; }
    public required IReadOnlyList<CriterionCount> Criteria { get; init; }
    public required IReadOnlyList<Attempt> Attempts { get; init; }
    public required IReadOnlyList<Pin> Pins { get; init; }
    public required IReadOnlyList<AssignmentTarget> Assignments { get; init; }
    public required IReadOnlyList<CalibrationPin> CalibrationPins { get; init; }
    public required IReadOnlyList<Dispute> Disputes { get; init; }

    /// <summary>
    /// SQL: the reviewed calls in range (alias t, a <c>TrendCall</c> row), with scope and filters. An agent looking at
    /// their own numbers does not see a call while an exercise built on it waits for their attempt: its pins are the answer.
    /// </summary>
    public static string ReviewedCalls(TrendQuery query, TrendScope scope, string joins = "") =>
        $"""
        FROM TrendCall t
        {joins}
        WHERE t.{DayColumn(query)} >= @FromDay AND t.{DayColumn(query)} <= @ToDay
          AND {scope.FactCondition(query, "t")}
          {(scope.OnlyAgent is null ? "" : $"AND NOT EXISTS (SELECT 1 FROM Exercise e WHERE {Practice.LearnerExercises.AwaitingAttemptOn("t.CallId")})")}
        """;

    /// <summary>When the call took place: its start, else when it was stored (a generated, indexed column).</summary>
    public const string CallAt = "c.CallAt";

    private static string DayColumn(TrendQuery query) => query.DateBasis == "review" ? "ReviewDay" : "CallDay";

    /// <summary>
    /// Whether the numbers come from one agent's calls (read per call) rather than the per-day sums, which are kept
    /// per team set but not per agent: an agent's calls are few, all teams' calls in a year are a hundred thousand.
    /// </summary>
    private static bool PerCall(TrendQuery query, TrendScope scope) => query.Agent is not null || scope.OnlyAgent is not null;

    /// <summary>SQL: the index of the period a local day number falls in (parameters @Period1…, the periods' first days).</summary>
    private static string PeriodIndex(TrendQuery query, string day, DynamicParameters parameters)
    {
        var periods = Periods.Between(query.From, query.To, query.By);
        if (periods.Count == 1)
            return "0";
        var cases = new List<string>();
        for (var i = 1; i < periods.Count; i++)
        {
            parameters.Add("Period" + i, periods[i].Start.DayNumber);
            cases.Add($"WHEN {day} < @Period{i} THEN {i - 1}");
        }
        return $"CASE {string.Join(' ', cases)} ELSE {periods.Count - 1} END";
    }

    /// <summary>SQL: a reviewed call's unmet needs, of the filtered category when there is one.</summary>
    private const string UnmetOfCall =
        "CASE WHEN @Category IS NULL THEN t.Unmet ELSE COALESCE((SELECT cc.Unmet FROM TrendCallCategory cc WHERE cc.CallId = t.CallId AND cc.CategoryCode = @Category), 0) END";

    /// <summary>SQL: the agent's name (their account's, else the name the call was stored with).</summary>
    private const string AgentNameOfCall = "COALESCE(au.DisplayName, (SELECT c.AgentName FROM Call c WHERE c.Id = t.CallId), '')";

    public static async Task<IReadOnlyList<Review>> ReviewsAsync(DbConnection connection, TrendQuery query, TrendScope scope, TimeZoneInfo zone) =>
        (await connection.QueryAsync<Review>(
            $"""
            SELECT t.CallId, c.Title, t.AgentUserId, COALESCE(au.DisplayName, c.AgentName, '') AS AgentName, t.Score, t.AutoFailed,
                   v.Number AS RubricNumber, t.Model, t.{DayColumn(query)} AS DayNumber, {UnmetOfCall} AS Unmet
            {ReviewedCalls(query, scope, """
                JOIN Call c ON c.Id = t.CallId
                JOIN RubricVersion v ON v.Id = t.RubricVersionId
                LEFT JOIN UserAccount au ON au.Id = t.AgentUserId
                """)}
            """, scope.Parameters(query, zone))).ToList();

    public sealed class Handler(IDbConnectionFactory db)
    {
        public async Task<TrendFacts> LoadAsync(TrendQuery query, TrendScope scope, TimeZoneInfo zone, CancellationToken ct, bool withReviews = false)
        {
            await using var connection = await db.OpenAsync(ct);
            var parameters = scope.Parameters(query, zone);
            var reviews = withReviews ? await ReviewsAsync(connection, query, scope, zone) : [];
            var sums = await connection.QueryAsync<ReviewSums>(
                $"""
                SELECT x.PeriodIndex, x.AgentUserId, x.AgentName, x.RubricNumber, COUNT(*) AS N,
                       SUM(x.Unmet) AS UnmetSum, SUM(x.Unmet * x.Unmet) AS UnmetSquares, SUM(x.Model) AS ModelSum, SUM(x.Model * x.Model) AS ModelSquares,
                       SUM(x.Score) AS ScoreSum, SUM(x.Score * x.Score) AS ScoreSquares, SUM(x.AutoFailed) AS AutoFails
                FROM (SELECT {PeriodIndex(query, "t." + DayColumn(query), parameters)} AS PeriodIndex, t.AgentUserId, {AgentNameOfCall} AS AgentName,
                             v.Number AS RubricNumber, {UnmetOfCall} AS Unmet, t.Model, t.Score, t.AutoFailed
                      {ReviewedCalls(query, scope, """
                          JOIN RubricVersion v ON v.Id = t.RubricVersionId
                          LEFT JOIN UserAccount au ON au.Id = t.AgentUserId
                          """)}) x
                GROUP BY x.PeriodIndex, x.AgentUserId, x.AgentName, x.RubricNumber
                """, parameters);
            var days = $"f.DateBasis = @DateBasis AND f.LocalDay >= @FromDay AND f.LocalDay <= @ToDay AND {scope.FactCondition(query, "f")}";
            var categories = await connection.QueryAsync<CategoryTotal>(PerCall(query, scope)
                ? $"""
                  SELECT x.PeriodIndex, x.CategoryCode, SUM(x.Unmet) AS Sum, SUM(x.Unmet * x.Unmet) AS SumSquares
                  FROM (SELECT {PeriodIndex(query, "t." + DayColumn(query), parameters)} AS PeriodIndex, cc.CategoryCode, cc.Unmet
                        {ReviewedCalls(query, scope, "JOIN TrendCallCategory cc ON cc.CallId = t.CallId")}
                          AND (@Category IS NULL OR cc.CategoryCode = @Category)) x
                  GROUP BY x.PeriodIndex, x.CategoryCode
                  """
                : $"""
                  SELECT x.PeriodIndex, x.CategoryCode, SUM(x.UnmetSum) AS Sum, SUM(x.UnmetSquares) AS SumSquares
                  FROM (SELECT {PeriodIndex(query, "f.LocalDay", parameters)} AS PeriodIndex, f.CategoryCode, f.UnmetSum, f.UnmetSquares
                        FROM TrendDayCategory f
                        WHERE {days} AND (@Category IS NULL OR f.CategoryCode = @Category)) x
                  GROUP BY x.PeriodIndex, x.CategoryCode
                  """, parameters);
            var criteria = await connection.QueryAsync<CriterionCount>(
                $"""
                SELECT {ContentNames.CriterionSection("cr")} AS Section, {ContentNames.CriterionTitle("cr")} AS Title, cr.Scale, cr.MaxPoints, cr.IsAutoFail, v.Number AS RubricNumber, x.Points, x.Count
                FROM ({(PerCall(query, scope)
                    ? $"SELECT sa.CriterionId, sa.Points, COUNT(*) AS Count FROM ScorecardAnswer sa WHERE sa.ResultId IN (SELECT t.ResultId {ReviewedCalls(query, scope)}) GROUP BY sa.CriterionId, sa.Points"
                    : $"SELECT f.CriterionId, f.Points, SUM(f.Answers) AS Count FROM TrendDayCriterion f WHERE {days} GROUP BY f.CriterionId, f.Points")}) x
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
                SELECT d.Id, d.CallId, c.Title, u.DisplayName AS AgentName, a.CategoryCode, {ContentNames.CriterionTitle("cr")} AS CriterionTitle, a.StartMs,
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
                Sums = sums.ToList(),
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
