namespace CallReview.Web.Features.Practice;

/// <summary>
/// How an attempt is scored against an exercise's answer. Pure: no database, so the rules are tested directly.
/// Each pin is matched to at most one answer and each answer to at most one pin, greedily by the best credit
/// (on the handful of pins an attempt has, this is what a person would match by eye). A matched pin earns timing
/// credit (full within the tolerance, falling linearly to nothing at the outer bound) and category credit (only
/// when the timing credit is above zero); pins that match nothing cost a little each.
/// </summary>
public static class AttemptScoring
{
    /// <summary>How much of the 100 each part is worth; a comparison also asks which call served the customer better.</summary>
    public sealed record Weights(double Timing, double Category, double Critique, double Choice)
    {
        public static readonly Weights Spot = new(50, 30, 20, 0);
        public static readonly Weights Comparison = new(30, 20, 20, 30);
    }

    /// <summary>Each pin beyond the answers that matches nothing costs this share of the pins' part (timing + category).</summary>
    public const double ExtraPinPenalty = 0.1;

    public sealed record Rules(long FullCreditMs, long ZeroCreditMs, IReadOnlyList<string> Keywords, int CritiqueMinChars, string? BetterSide);

    public sealed record Answer(int Id, string Side, long StartMs, long? EndMs, string CategoryCode);

    public sealed record Pin(string Side, long AtMs, string CategoryCode);

    public sealed record PinResult(Pin Pin, int? AnswerId, double TimingCredit, bool CategoryMatch);

    public sealed record Result(
        IReadOnlyList<PinResult> Pins,
        double Timing,
        double Category,
        double Critique,
        double? Choice,
        int ExtraPins,
        double Score,
        IReadOnlyList<string> KeywordsFound,
        IReadOnlyList<int> MissedAnswerIds);

    /// <summary>1 within <paramref name="fullMs"/> of the answer, 0 from <paramref name="zeroMs"/> on, a straight line between.</summary>
    public static double TimingCredit(long distanceMs, long fullMs, long zeroMs)
    {
        var d = Math.Abs(distanceMs);
        if (d <= fullMs)
            return 1;
        if (d >= zeroMs || zeroMs <= fullMs)
            return 0;
        return 1 - (double)(d - fullMs) / (zeroMs - fullMs);
    }

    /// <summary>How far a pin is from an answer: zero anywhere inside a range answer, else to its nearest edge.</summary>
    public static long Distance(long atMs, Answer answer)
    {
        var end = answer.EndMs is { } e && e > answer.StartMs ? e : answer.StartMs;
        return atMs < answer.StartMs ? answer.StartMs - atMs : atMs > end ? atMs - end : 0;
    }

    /// <summary>Half for reaching the minimum length, half for the share of the reviewer's keywords used (all of it when there are none).</summary>
    public static (double Score, IReadOnlyList<string> Found) CritiqueCredit(string text, IReadOnlyList<string> keywords, int minChars)
    {
        text = text.Trim();
        var length = minChars <= 0 ? 1 : Math.Min(1, text.Length / (double)minChars);
        if (keywords.Count == 0)
            return (length, []);
        var found = keywords.Where(k => text.Contains(k, StringComparison.OrdinalIgnoreCase)).ToList();
        return (length / 2 + found.Count / (double)keywords.Count / 2, found);
    }

    public static IReadOnlyList<string> ParseKeywords(string keywords) =>
        keywords.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    public static Result Score(Rules rules, IReadOnlyList<Answer> answers, IReadOnlyList<Pin> pins, string critique, string? chosenSide)
    {
        var candidates =
            from p in Enumerable.Range(0, pins.Count)
            from a in Enumerable.Range(0, answers.Count)
            where pins[p].Side == answers[a].Side
            let timing = TimingCredit(Distance(pins[p].AtMs, answers[a]), rules.FullCreditMs, rules.ZeroCreditMs)
            where timing > 0
            let category = pins[p].CategoryCode == answers[a].CategoryCode
            let distance = Distance(pins[p].AtMs, answers[a])
            orderby timing + (category ? 1 : 0) descending, distance, p, a
            select (p, a, timing, category);

        var byPin = new (int Answer, double Timing, bool Category)?[pins.Count];
        var answerTaken = new bool[answers.Count];
        foreach (var (p, a, timing, category) in candidates)
        {
            if (byPin[p] is not null || answerTaken[a])
                continue;
            byPin[p] = (a, timing, category);
            answerTaken[a] = true;
        }

        var pinResults = pins.Select((pin, i) => byPin[i] is { } m
            ? new PinResult(pin, answers[m.Answer].Id, m.Timing, m.Category)
            : new PinResult(pin, null, 0, false)).ToList();
        var matched = pinResults.Where(r => r.AnswerId is not null).ToList();
        var extra = pinResults.Count - matched.Count;
        var timingScore = answers.Count == 0 ? (pins.Count == 0 ? 1 : 0) : matched.Sum(r => r.TimingCredit) / answers.Count;
        var categoryScore = answers.Count == 0 ? timingScore : matched.Count(r => r.CategoryMatch) / (double)answers.Count;
        var (critiqueScore, found) = CritiqueCredit(critique, rules.Keywords, rules.CritiqueMinChars);
        double? choice = rules.BetterSide is null ? null : string.Equals(chosenSide, rules.BetterSide, StringComparison.OrdinalIgnoreCase) ? 1 : 0;

        var weights = rules.BetterSide is null ? Weights.Spot : Weights.Comparison;
        var pinsPart = weights.Timing * timingScore + weights.Category * categoryScore;
        pinsPart = Math.Max(0, pinsPart - extra * ExtraPinPenalty * (weights.Timing + weights.Category));
        var total = pinsPart + weights.Critique * critiqueScore + weights.Choice * (choice ?? 0);
        return new Result(pinResults, timingScore, categoryScore, critiqueScore, choice, extra,
            Math.Round(Math.Clamp(total, 0, 100), 1), found,
            answers.Where((_, i) => !answerTaken[i]).Select(a => a.Id).ToList());
    }
}
