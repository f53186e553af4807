using CallReview.Db;
using CallReview.Web.Features.Calibration;
using Dapper;

namespace CallReview.Web.Features.Signals;

/// <summary>
/// How good each rule's suggestions are, against reviewers' own unmet-need pins in the rule's category: on each reviewed
/// call, suggestions and pins are matched one to one within the calibration tolerance of the suggestion's span (±5 s,
/// closest first). Precision
/// is matched suggestions over suggestions (a dismissed one matches nothing unless a reviewer pinned there anyway),
/// recall is matched pins over pins. An accepted suggestion became a pin at its own moment, so it counts as matched.
/// Rules that share a category (dead air, reply gap, hold: timeliness) share its pins for recall.
/// </summary>
public static class SignalQuality
{
    /// <summary>A suggestion's span or a pin (EndMs = StartMs) on one call; <see cref="Code"/> is a rule or a category.</summary>
    public sealed record Moment(string CallKey, long StartMs, long EndMs, string Code);

    public sealed record Row(SignalRule Rule, int Suggestions, int Accepted, int Dismissed, int Pins, Agreement.PrecisionRecall Match);

    /// <summary><paramref name="suggestions"/> carry rule codes, <paramref name="pins"/> category codes.</summary>
    public static IReadOnlyList<Row> Measure(IReadOnlyList<Moment> suggestions, IReadOnlyList<Moment> pins,
        IReadOnlyDictionary<string, (int Accepted, int Dismissed)>? decisions = null, long toleranceMs = Agreement.DefaultToleranceMs) =>
        SignalRule.All.Select(rule =>
        {
            var mine = suggestions.Where(s => s.Code == rule.Code).ToList();
            var theirs = pins.Where(p => p.Code == rule.Category).ToList();
            var matched = mine.Select(s => s.CallKey).Concat(theirs.Select(p => p.CallKey)).Distinct()
                .Sum(call => Match(mine.Where(s => s.CallKey == call).ToList(), theirs.Where(p => p.CallKey == call).ToList(), toleranceMs).Count);
            var decided = decisions?.GetValueOrDefault(rule.Code) ?? (0, 0);
            return new Row(rule, mine.Count, decided.Accepted, decided.Dismissed, theirs.Count, new Agreement.PrecisionRecall(matched, mine.Count, theirs.Count));
        }).ToList();

    /// <summary>
    /// All rules at once: each pin matched by at most one suggestion of a rule of its category (dead air and hold do not both
    /// take one timeliness pin). With <paramref name="pins"/> of every category, recall counts what no rule looks for too.
    /// </summary>
    public static Agreement.PrecisionRecall Overall(IReadOnlyList<Moment> suggestions, IReadOnlyList<Moment> pins, long toleranceMs = Agreement.DefaultToleranceMs)
    {
        var byCategory = suggestions.Select(s => s with { Code = SignalRule.Find(s.Code)?.Category ?? "" }).ToList();
        var matched = byCategory.Select(s => (s.CallKey, s.Code)).Distinct()
            .Sum(g => Match(byCategory.Where(s => (s.CallKey, s.Code) == g).ToList(), pins.Where(p => (p.CallKey, p.Code) == g).ToList(), toleranceMs).Count);
        return new Agreement.PrecisionRecall(matched, suggestions.Count, pins.Count);
    }

    /// <summary>
    /// One-to-one matches, closest first, like calibration's (<see cref="Agreement.Match"/>), but measured from the pin to the
    /// suggestion's span: a reviewer pins dead air anywhere in it, often where the customer finally speaks, not where it began.
    /// </summary>
    public static IReadOnlyList<(Moment Suggestion, Moment Pin)> Match(IReadOnlyList<Moment> suggestions, IReadOnlyList<Moment> pins, long toleranceMs)
    {
        var candidates = new List<(int S, int P, long Distance)>();
        for (var i = 0; i < suggestions.Count; i++)
            for (var j = 0; j < pins.Count; j++)
            {
                var distance = Math.Max(0, Math.Max(suggestions[i].StartMs - pins[j].StartMs, pins[j].StartMs - suggestions[i].EndMs));
                if (distance <= toleranceMs)
                    candidates.Add((i, j, distance));
            }
        var (usedS, usedP, matched) = (new HashSet<int>(), new HashSet<int>(), new List<(Moment, Moment)>());
        foreach (var (s, p, _) in candidates.OrderBy(c => c.Distance).ThenBy(c => c.S).ThenBy(c => c.P))
        {
            if (usedS.Contains(s) || usedP.Contains(p))
                continue;
            usedS.Add(s);
            usedP.Add(p);
            matched.Add((suggestions[s], pins[p]));
        }
        return matched;
    }

    private sealed class SignalRow
    {
        public int CallId { get; init; }
        public string RuleCode { get; init; } = "";
        public long StartMs { get; init; }
        public long EndMs { get; init; }
        public string Status { get; init; } = "";
    }

    private sealed class PinRow
    {
        public int CallId { get; init; }
        public long StartMs { get; init; }
        public string CategoryCode { get; init; } = "";
    }

    /// <summary>The measure over a team's reviewed calls (all teams with null): calls with at least one unmet-need pin outside calibration.</summary>
    public sealed class Handler(IDbConnectionFactory db)
    {
        public async Task<(IReadOnlyList<Row> Rows, int Calls)> LoadAsync(int? teamId, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            const string reviewed = """
                SELECT c.Id FROM Call c WHERE (@teamId IS NULL OR c.TeamId = @teamId) AND EXISTS (
                    SELECT 1 FROM Annotation a WHERE a.CallId = c.Id AND a.Kind = 'unmet' AND a.DeletedAt IS NULL AND a.CalibrationSessionId IS NULL)
                """;
            var signals = (await connection.QueryAsync<SignalRow>(
                $"SELECT s.CallId, s.RuleCode, s.StartMs, s.EndMs, s.Status FROM CallSignal s WHERE s.CallId IN ({reviewed})", new { teamId })).ToList();
            var pins = (await connection.QueryAsync<PinRow>(
                $"""
                SELECT a.CallId, a.StartMs, a.CategoryCode FROM Annotation a
                WHERE a.Kind = 'unmet' AND a.DeletedAt IS NULL AND a.CalibrationSessionId IS NULL AND a.CallId IN ({reviewed})
                """, new { teamId })).ToList();
            var calls = signals.Select(s => s.CallId).Concat(pins.Select(p => p.CallId)).Distinct().Count();
            var decisions = signals.GroupBy(s => s.RuleCode).ToDictionary(g => g.Key,
                g => (g.Count(s => s.Status == ComputeSignals.Accepted), g.Count(s => s.Status == ComputeSignals.Dismissed)));
            return (Measure(
                signals.Select(s => new Moment(s.CallId.ToString(System.Globalization.CultureInfo.InvariantCulture), s.StartMs, s.EndMs, s.RuleCode)).ToList(),
                pins.Select(p => new Moment(p.CallId.ToString(System.Globalization.CultureInfo.InvariantCulture), p.StartMs, p.StartMs, p.CategoryCode)).ToList(),
                decisions), calls);
        }
    }
}
