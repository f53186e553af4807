using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Review;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Calibration;

/// <summary>
/// A calibration session once everyone has submitted: every reviewer's pins on one timeline, agreement on
/// when and what, and the spread of scores per criterion. Before that, only who has submitted.
/// </summary>
public static class CalibrationResults
{
    public sealed class Reviewer
    {
        public int UserId { get; init; }
        public string Name { get; init; } = "";
        public DateTimeOffset? SubmittedAt { get; init; }
    }

    public sealed class ScoreRow
    {
        public int ReviewerUserId { get; init; }
        public int CriterionId { get; init; }
        public string Title { get; init; } = "";
        public int SortOrder { get; init; }
        public int MaxPoints { get; init; }
        public int? Points { get; init; }
    }

    public sealed class TotalRow
    {
        public int ReviewerUserId { get; init; }
        public double Score { get; init; }
        public bool AutoFailed { get; init; }
    }

    public sealed record Versus(Reviewer Reviewer, Reviewer Reference, Agreement.PrecisionRecall Result);

    public sealed record CriterionSpread(string Title, int MaxPoints, IReadOnlyDictionary<int, int?> Points, double? Min, double? Max, double? StdDev);

    public sealed class SessionRow
    {
        public int Id { get; init; }
        public string Title { get; init; } = "";
        public int CallId { get; init; }
        public int? BenchmarkUserId { get; init; }
        public int CreatedByUserId { get; init; }
    }

    public sealed record Model(
        SessionRow Session,
        IReadOnlyList<Reviewer> Reviewers,
        bool Complete,
        Timeline? Timeline,
        IReadOnlyList<Annotation> Pins,
        IReadOnlyList<Versus> When,
        (int Items, double? PercentSame, double? Kappa) What,
        IReadOnlyList<CriterionSpread> Scores,
        IReadOnlyDictionary<int, TotalRow> Totals,
        bool AwaitsMyReview = false)
    {
        public int Lane(int userId) => Reviewers.Select(r => r.UserId).ToList().IndexOf(userId);
    }

    public sealed class Handler(IDbConnectionFactory db, CallAccess calls, LoadTimeline.Handler timelines)
    {
        public async Task<Model?> LoadAsync(int sessionId, CurrentUser user, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var session = await connection.QuerySingleOrDefaultAsync<SessionRow>(
                "SELECT Id, Title, CallId, BenchmarkUserId, CreatedByUserId FROM CalibrationSession WHERE Id = @sessionId", new { sessionId });
            if (session is null || await calls.FindAsync(session.CallId, user, ct) is not { } call)
                return null;
            var reviewers = (await connection.QueryAsync<Reviewer>(
                """
                SELECT p.UserId, u.DisplayName AS Name, p.SubmittedAt FROM CalibrationParticipant p JOIN UserAccount u ON u.Id = p.UserId
                WHERE p.SessionId = @sessionId ORDER BY u.DisplayName
                """, new { sessionId })).ToList();
            if (session.CreatedByUserId != user.Id && reviewers.All(r => r.UserId != user.Id))
                return null;
            var complete = reviewers.All(r => r.SubmittedAt is not null);
            if (!complete)
                return new Model(session, reviewers, false, null, [], [], (0, null, null), [], new Dictionary<int, TotalRow>(),
                    AwaitsMyReview: reviewers.Any(r => r.UserId == user.Id && r.SubmittedAt is null));

            var pins = (await connection.QueryAsync<Annotation>(
                $"""
                SELECT a.Id, a.AuthorUserId, a.Kind, a.StartMs, a.EndMs, a.CategoryCode, {NeedCategories.DisplayName("a.Kind", "n")} AS CategoryName
                FROM Annotation a JOIN NeedCategory n ON n.Code = a.CategoryCode
                WHERE a.CalibrationSessionId = @sessionId AND a.DeletedAt IS NULL ORDER BY a.StartMs
                """, new { sessionId })).ToList();
            var byReviewer = reviewers.ToDictionary(r => r.UserId,
                r => (IReadOnlyList<Agreement.Pin>)pins.Where(p => p.AuthorUserId == r.UserId).Select(p => new Agreement.Pin(r.UserId, p.StartMs, p.CategoryCode)).ToList());

            // When: against the benchmark reviewer if there is one, otherwise every pair.
            var when = new List<Versus>();
            var benchmark = reviewers.FirstOrDefault(r => r.UserId == session.BenchmarkUserId);
            foreach (var a in reviewers)
                foreach (var b in reviewers)
                {
                    var wanted = benchmark is null ? a.UserId < b.UserId : b == benchmark && a != benchmark;
                    if (wanted)
                        when.Add(new Versus(a, b, Agreement.Compare(byReviewer[a.UserId], byReviewer[b.UserId], Agreement.DefaultToleranceMs)));
                }
            var moments = Agreement.Moments(byReviewer.Values.SelectMany(p => p), Agreement.DefaultToleranceMs);
            var what = Agreement.Categories(moments, reviewers.Select(r => r.UserId).ToList());

            var scoreRows = (await connection.QueryAsync<ScoreRow>(
                $"""
                SELECT r.ReviewerUserId, a.CriterionId, {ContentNames.CriterionTitle("c")} AS Title, c.SortOrder, c.MaxPoints, a.Points
                FROM ScorecardResult r JOIN ScorecardAnswer a ON a.ResultId = r.Id JOIN RubricCriterion c ON c.Id = a.CriterionId
                WHERE r.CalibrationSessionId = @sessionId
                """, new { sessionId })).ToList();
            var scores = scoreRows.GroupBy(s => (s.CriterionId, s.Title, s.SortOrder, s.MaxPoints)).OrderBy(g => g.Key.SortOrder)
                .Select(g =>
                {
                    var values = g.Where(s => s.Points is not null).Select(s => (double)s.Points!.Value / g.Key.MaxPoints * 100).ToList();
                    double? mean = values.Count == 0 ? null : values.Average();
                    return new CriterionSpread(g.Key.Title, g.Key.MaxPoints, g.ToDictionary(s => s.ReviewerUserId, s => s.Points),
                        values.Count == 0 ? null : values.Min(), values.Count == 0 ? null : values.Max(),
                        mean is { } m ? Math.Sqrt(values.Sum(v => (v - m) * (v - m)) / values.Count) : null);
                }).ToList();
            var totals = (await connection.QueryAsync<TotalRow>(
                "SELECT ReviewerUserId, Score, AutoFailed FROM ScorecardResult WHERE CalibrationSessionId = @sessionId", new { sessionId }))
                .ToDictionary(t => t.ReviewerUserId);
            var timeline = await timelines.LoadAsync(call, null, null, null, ct);
            return new Model(session, reviewers, true, timeline, pins, when, what, scores, totals);
        }
    }
}
