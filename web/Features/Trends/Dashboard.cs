using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Calibration;
using CallReview.Web.Features.Review;
using CallReview.Web.Features.Shared;
using Dapper;
using static CallReview.Web.Features.Trends.TrendStats;

namespace CallReview.Web.Features.Trends;

/// <summary>
/// The supervisors' dashboard: review outcomes, QA scores, learning, reviewer agreement and disputes over the
/// chosen periods, each point with its n and 95% interval and a link to the evaluations behind it.
/// </summary>
public static class Dashboard
{

    public sealed record Comparison(TrendMetrics.Metric Metric, Period Current, Period Previous, Estimate Now, Estimate Before, Change Change, string Href);

    public sealed record CriterionRow(string Section, string Title, string Scale, int MaxPoints, bool IsAutoFail, string Versions,
        Estimate ShareOfMax, IReadOnlyList<(string Level, int Count)> Levels, int NotApplicable);

    public sealed record LearnerRow(int UserId, string Name, Estimate Score, Estimate HitRate, Estimate Timing, int CurrentStreak, int LongestStreak, Estimate Assignments);

    public sealed record CategoryRow(string Code, string Name, Estimate UnmetPerCall, Estimate HitRate, Estimate Timing, int Disputes, int Upheld, int Rejected, int Open, double? MedianHoursToResolve);

    public sealed record CalibrationRow(Period Period, int Sessions, double? MedianSeconds, Estimate WithinTolerance, Estimate Kappa);

    public sealed record AgentMultiple(int? UserId, string Name, LineChart Chart);

    public sealed class Model
    {
        public required TrendQuery Query { get; init; }
        public required string TimeZone { get; init; }
        public required IReadOnlyList<FilterOption> Teams { get; init; }
        public required IReadOnlyList<FilterOption> Agents { get; init; }
        public required IReadOnlyList<NeedCategories.Category> Categories { get; init; }
        public required IReadOnlyList<Period> Periods { get; init; }
        public required int ReviewedCalls { get; init; }
        public required IReadOnlyList<Comparison> Comparisons { get; init; }
        public required LineChart Unmet { get; init; }
        public required StackedBars UnmetByCategory { get; init; }
        public required LineChart ModelMoments { get; init; }
        public required LineChart Score { get; init; }
        public required LineChart AutoFail { get; init; }
        public required IReadOnlyList<CriterionRow> Criteria { get; init; }
        public required IReadOnlyList<AgentMultiple> AgentMultiples { get; init; }
        public required LineChart ExerciseScore { get; init; }
        public required LineChart HitRate { get; init; }
        public required LineChart Timing { get; init; }
        public required IReadOnlyList<LearnerRow> Learners { get; init; }
        public required Estimate AssignmentCompletion { get; init; }
        public required IReadOnlyList<CategoryRow> CategoryRows { get; init; }
        public required IReadOnlyList<CalibrationRow> Calibration { get; init; }
        public required int DisputesOpened { get; init; }
    }

    public sealed class Handler(IDbConnectionFactory db, TrendFacts.Handler facts, NeedCategories.Handler categories, IConfiguration configuration, TimeProvider clock)
    {
        public async Task<Model?> LoadAsync(TrendFilter filter, CurrentUser user, CancellationToken ct)
        {
            var zone = Periods.Zone(configuration);
            var query = filter.Resolve(Periods.LocalDay(clock.GetUtcNow(), zone));
            TrendScope scope;
            IReadOnlyList<FilterOption> teams, agents;
            await using (var connection = await db.OpenAsync(ct))
            {
                scope = await TrendScope.ForAsync(user, connection);
                if (query.Team is { } team && !scope.MaySee(team))
                    return null;
                teams = (await connection.QueryAsync<FilterOption>(
                    $"SELECT CAST(t.Id AS VARCHAR(12)) AS Value, t.Name FROM Team t {(scope.All ? "" : "WHERE t.Id IN @TeamIds")} ORDER BY t.Name", new { scope.TeamIds })).ToList();
                agents = (await connection.QueryAsync<FilterOption>(
                    $"""
                    SELECT CAST(u.Id AS VARCHAR(12)) AS Value, u.DisplayName AS Name FROM UserAccount u
                    WHERE {Roles.HeldBy("u.Id", Roles.Learner)}
                      {(scope.All ? "" : "AND EXISTS (SELECT 1 FROM TeamMembership m WHERE m.UserId = u.Id AND m.TeamId IN @TeamIds)")}
                    ORDER BY u.DisplayName
                    """, new { scope.TeamIds })).ToList();
            }
            var categoryList = await categories.ListAsync(activeOnly: false, ct);
            var f = await facts.LoadAsync(query, scope, zone, ct);
            return Build(query, zone, teams, agents, categoryList, f);
        }
    }

    public static Model Build(TrendQuery query, TimeZoneInfo zone, IReadOnlyList<FilterOption> teams, IReadOnlyList<FilterOption> agents,
        IReadOnlyList<NeedCategories.Category> categoryList, TrendFacts f)
    {
        var periods = Periods.Between(query.From, query.To, query.By);
        var pins = f.Pins.ToLookup(p => p.AttemptId);
        var sumsIn = periods.Select((_, i) => f.Sums.Where(s => s.PeriodIndex == i).ToList()).ToList();
        var callsIn = sumsIn.Select(s => s.Sum(x => x.N)).ToList();
        var attemptsIn = periods.ToDictionary(p => p, p => f.Attempts.Where(a => p.Contains(a.Day)).ToList());
        var names = categoryList.ToDictionary(c => c.Code, c => c.Name);

        var index = periods.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        Estimate Point(TrendMetrics.Metric metric, Period period) =>
            TrendMetrics.Of(metric, sumsIn[index[period]], attemptsIn[period], pins, query.Category);

        string Evidence(TrendMetrics.Metric metric, Period period, string? category = null) =>
            (category is null ? query : query with { Category = category }).Url("/trends/evidence", new { metric = metric.Code, period = period.Key });

        // A rubric version first used in a period is marked there: its scores are shown as scored, never rescaled.
        var markers = new List<LineChart.Marker>();
        var seen = new HashSet<int>();
        for (var i = 0; i < periods.Count; i++)
            foreach (var number in sumsIn[i].Select(r => r.RubricNumber).Distinct().Order())
                if (seen.Add(number) && seen.Count > 1)
                    markers.Add(new LineChart.Marker(i, new Message("rubric v{0}", number)));

        LineChart Line(TrendMetrics.Metric metric, string id, bool withMarkers = false) => new(id, metric,
            periods.Select(p => new LineChart.Point(p.Label, Point(metric, p), Evidence(metric, p))).ToList(),
            withMarkers ? markers : []);

        var comparisons = new List<Comparison>();
        // The last period still under way is left out of the comparison: a half-empty week is not a trend.
        var complete = periods.Where(p => p.End <= query.To.AddDays(1)).ToList();
        if (complete.Count >= 2)
        {
            var (current, previous) = (complete[^1], complete[^2]);
            foreach (var metric in TrendMetrics.All)
            {
                var now = Point(metric, current);
                var before = Point(metric, previous);
                comparisons.Add(new Comparison(metric, current, previous, now, before, TrendMetrics.Difference(metric, now, before), Evidence(metric, current)));
            }
        }

        var byCategory = f.Categories.ToLookup(c => c.CategoryCode);
        var usedCategories = categoryList.Where(c => byCategory.Contains(c.Code)).ToList();
        var stacked = new StackedBars("unmet-by-category", "Unmet needs per reviewed call, by category",
            periods.Select(p => p.Label).ToList(),
            callsIn,
            usedCategories.Select(c => new StackedBars.Series(c.Code, c.Name,
                periods.Select((p, i) => callsIn[i] == 0 ? 0 : byCategory[c.Code].Where(t => t.PeriodIndex == i).Sum(t => (double)t.Sum) / callsIn[i]).ToList(),
                periods.Select(p => Evidence(TrendMetrics.Unmet, p, c.Code)).ToList())).ToList());

        // Small multiples share one scale, so agents compare at a glance.
        var agentMultiples = f.Sums.GroupBy(r => (r.AgentUserId, r.AgentName)).OrderBy(g => g.Key.AgentName)
            .Select(g => new AgentMultiple(g.Key.AgentUserId, g.Key.AgentName, new LineChart($"agent-{g.Key.AgentUserId}", TrendMetrics.Unmet,
                periods.Select((p, i) =>
                {
                    var subset = query with { Agent = g.Key.AgentUserId };
                    return new LineChart.Point(p.Label, TrendMetrics.Of(TrendMetrics.Unmet, g.Where(r => r.PeriodIndex == i), [], pins, query.Category),
                        subset.Url("/trends/evidence", new { metric = "unmet", period = p.Key }));
                }).ToList(), [])))
            .ToList();
        var sharedMax = agentMultiples.Select(a => a.Chart.YMax).DefaultIfEmpty(1).Max();
        foreach (var agent in agentMultiples)
            agent.Chart.FixedMax = sharedMax;

        var criteria = f.Criteria.GroupBy(c => (c.Section, c.Title, c.Scale, c.MaxPoints, c.IsAutoFail))
            .OrderBy(g => g.Key.Section).ThenBy(g => g.Key.Title)
            .Select(g =>
            {
                var answered = g.Where(c => c.Points is not null).ToList();
                var shares = answered.SelectMany(c => Enumerable.Repeat((double)c.Points!.Value / c.MaxPoints, c.Count)).ToList();
                var levels = Enumerable.Range(0, g.Key.MaxPoints + 1)
                    .Select(level => (g.Key.Scale == "yesno" ? (level == 1 ? "Yes" : "No") : level.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        answered.Where(c => c.Points == level).Sum(c => c.Count)))
                    .ToList();
                return new CriterionRow(g.Key.Section, g.Key.Title, g.Key.Scale, g.Key.MaxPoints, g.Key.IsAutoFail,
                    string.Join(", ", g.Select(c => c.RubricNumber).Distinct().Order()),
                    Mean(shares), levels, g.Where(c => c.Points is null).Sum(c => c.Count));
            }).ToList();

        var assignmentsByUser = f.Assignments.ToLookup(a => a.UserId);
        var learners = f.Attempts.Select(a => (a.UserId, a.UserName)).Concat(f.Assignments.Select(a => (a.UserId, a.UserName))).Distinct()
            .OrderBy(l => l.UserName)
            .Select(l =>
            {
                var mine = f.Attempts.Where(a => a.UserId == l.UserId).ToList();
                var (current, longest) = Streaks(mine.Select(a => a.Day), query.To);
                var assigned = assignmentsByUser[l.UserId].ToList();
                return new LearnerRow(l.UserId, l.UserName,
                    TrendMetrics.Compute(TrendMetrics.ExerciseScore, TrendMetrics.Values(TrendMetrics.ExerciseScore, [], mine, pins, null)),
                    TrendMetrics.Compute(TrendMetrics.HitRate, TrendMetrics.Values(TrendMetrics.HitRate, [], mine, pins, query.Category)),
                    TrendMetrics.Compute(TrendMetrics.Timing, TrendMetrics.Values(TrendMetrics.Timing, [], mine, pins, query.Category)),
                    current, longest, Proportion(assigned.Count(a => a.Completed), assigned.Count));
            }).ToList();

        var categoryRows = categoryList
            .Where(c => query.Category is null || c.Code == query.Category)
            .Select(c =>
            {
                var disputes = f.Disputes.Where(d => d.CategoryCode == c.Code).ToList();
                return new CategoryRow(c.Code, c.Name,
                    MeanFromSums(callsIn.Sum(), byCategory[c.Code].Sum(t => (double)t.Sum), byCategory[c.Code].Sum(t => (double)t.SumSquares)),
                    TrendMetrics.Compute(TrendMetrics.HitRate, TrendMetrics.Values(TrendMetrics.HitRate, [], f.Attempts, pins, c.Code)),
                    TrendMetrics.Compute(TrendMetrics.Timing, TrendMetrics.Values(TrendMetrics.Timing, [], f.Attempts, pins, c.Code)),
                    disputes.Count, disputes.Count(d => d.Upheld), disputes.Count(d => d.Rejected), disputes.Count(d => d.Status == "open"),
                    Median(disputes.Where(d => d.ResolvedAt is not null).Select(d => (d.ResolvedAt!.Value - d.CreatedAt).TotalHours)));
            })
            .Where(r => r.UnmetPerCall.Value > 0 || r.HitRate.N > 0 || r.Disputes > 0)
            .ToList();
        var criterionDisputes = f.Disputes.Where(d => d.CategoryCode is null).ToList();
        if (criterionDisputes.Count > 0 && query.Category is null)
            categoryRows.Add(new CategoryRow("", "Scorecard criteria", Estimate.Empty, Estimate.Empty, Estimate.Empty, criterionDisputes.Count,
                criterionDisputes.Count(d => d.Upheld), criterionDisputes.Count(d => d.Rejected), criterionDisputes.Count(d => d.Status == "open"),
                Median(criterionDisputes.Where(d => d.ResolvedAt is not null).Select(d => (d.ResolvedAt!.Value - d.CreatedAt).TotalHours))));

        var sessions = f.CalibrationPins.GroupBy(p => p.SessionId).Select(g => (Day: Periods.LocalDay(g.First().CreatedAt, zone), Agreement: SessionAgreement(g.ToList()))).ToList();
        var calibration = periods.Select(p =>
        {
            var inPeriod = sessions.Where(s => p.Contains(s.Day)).Select(s => s.Agreement).ToList();
            return new CalibrationRow(p, inPeriod.Count,
                Median(inPeriod.SelectMany(s => s.DistancesSeconds)),
                Proportion(inPeriod.Sum(s => s.MatchedPins), inPeriod.Sum(s => s.Pins)),
                Mean(inPeriod.Where(s => s.Kappa is not null).Select(s => s.Kappa!.Value).ToList()));
        }).ToList();

        return new Model
        {
            Query = query,
            TimeZone = zone.Id,
            Teams = teams,
            Agents = agents,
            Categories = categoryList,
            Periods = periods,
            ReviewedCalls = callsIn.Sum(),
            Comparisons = comparisons,
            Unmet = Line(TrendMetrics.Unmet, "unmet", withMarkers: true),
            UnmetByCategory = stacked,
            ModelMoments = Line(TrendMetrics.Model, "model"),
            Score = Line(TrendMetrics.Score, "score", withMarkers: true),
            AutoFail = Line(TrendMetrics.AutoFail, "autofail", withMarkers: true),
            Criteria = criteria,
            AgentMultiples = agentMultiples,
            ExerciseScore = Line(TrendMetrics.ExerciseScore, "exercise-score"),
            HitRate = Line(TrendMetrics.HitRate, "hit-rate"),
            Timing = Line(TrendMetrics.Timing, "timing"),
            Learners = learners,
            AssignmentCompletion = Proportion(f.Assignments.Count(a => a.Completed), f.Assignments.Count),
            CategoryRows = categoryRows,
            Calibration = calibration,
            DisputesOpened = f.Disputes.Count,
        };
    }

    /// <summary>Days in a row with practice: the run ending on <paramref name="today"/> (or the day before), and the longest.</summary>
    public static (int Current, int Longest) Streaks(IEnumerable<DateOnly> days, DateOnly today)
    {
        var set = days.ToHashSet();
        int longest = 0, run = 0;
        DateOnly? last = null;
        foreach (var day in set.Order())
        {
            run = last is { } l && l.AddDays(1) == day ? run + 1 : 1;
            longest = Math.Max(longest, run);
            last = day;
        }
        var current = 0;
        for (var day = set.Contains(today) ? today : today.AddDays(-1); set.Contains(day); day = day.AddDays(-1))
            current++;
        return (current, longest);
    }

    public sealed record SessionAgreementResult(int Pins, int MatchedPins, IReadOnlyList<double> DistancesSeconds, double? Kappa);

    /// <summary>
    /// One calibration session: every pair of reviewers' pins matched within ±5 s (the calibration page's rule);
    /// the seconds between matched pins, the share of pins that found a partner, and kappa on the categories.
    /// </summary>
    public static SessionAgreementResult SessionAgreement(IReadOnlyList<TrendFacts.CalibrationPin> pins)
    {
        var byReviewer = pins.GroupBy(p => p.Reviewer).ToDictionary(g => g.Key, g => g.Select(p => new Agreement.Pin(p.Reviewer, p.StartMs, p.Category)).ToList());
        var reviewers = byReviewer.Keys.Order().ToList();
        var distances = new List<double>();
        int total = 0, matched = 0;
        for (var i = 0; i < reviewers.Count; i++)
            for (var j = i + 1; j < reviewers.Count; j++)
            {
                var pairs = Agreement.Match(byReviewer[reviewers[i]], byReviewer[reviewers[j]], Agreement.DefaultToleranceMs);
                distances.AddRange(pairs.Select(p => Math.Abs(p.A.StartMs - p.B.StartMs) / 1000.0));
                matched += 2 * pairs.Count;
                total += byReviewer[reviewers[i]].Count + byReviewer[reviewers[j]].Count;
            }
        var kappa = Agreement.Categories(Agreement.Moments(byReviewer.Values.SelectMany(p => p), Agreement.DefaultToleranceMs), reviewers).Kappa;
        return new SessionAgreementResult(total, matched, distances, kappa);
    }
}
