using System.Text;

namespace CallReview.Web.Features.Signals;

/// <summary>
/// The signal rules over one call: who speaks when (the transcript's turns per channel: each turn starts where speech
/// detection found speech and ends where whisper's words end, clamped to that stretch) and, for hold, how loud the agent's
/// channel is each second (from the waveform peaks). Pure: the same turns and settings give the same signals, so a
/// re-run after a threshold change is exact and the rules are tested on constructed calls.
/// </summary>
public static class SignalRules
{
    public sealed record Turn(string Speaker, long StartMs, long EndMs, string Text);

    public sealed record Found(string Rule, long StartMs, long EndMs, double Value, double Threshold, string? Speaker, string Detail);

    public sealed record Measures(long DurationMs, long AgentTalkMs, long CustomerTalkMs, long DeadAirMs, long HoldMs, int Interruptions, long LongestMonologueMs);

    public sealed record Evaluation(IReadOnlyList<Found> Signals, Measures Measures);

    private const string Agent = "agent", Customer = "customer";
    /// <summary>Turns of one speaker this close are one stretch of speech (whisper splits an utterance into sentences).</summary>
    private const long JoinMs = 300;
    /// <summary>A second of the agent's channel at or above this level (−30 dBFS) has sound: music, noise, a tone.</summary>
    public const double SoundLevel = 0.03;
    /// <summary>A silence is hold when the agent's channel has sound for at least this share of its seconds.</summary>
    private const double HoldShare = 0.5;
    private const double MinPaceSeconds = 3;
    private const int MinQuestionWords = 3;

    private sealed record Run(string Speaker, long StartMs, long EndMs, string Text)
    {
        public long Length => EndMs - StartMs;
    }

    /// <param name="agentLevels">The agent channel's loudest sample (0..1) per second of the call, or null without peaks.</param>
    /// <param name="agentTone">Whether the team's hold tone sounds on the agent's channel, per second; null when none is configured.</param>
    public static Evaluation Evaluate(IReadOnlyList<Turn> turns, long durationMs, string? language, SignalSettings settings,
        IReadOnlyList<double>? agentLevels = null, IReadOnlyList<bool>? agentTone = null)
    {
        var found = new List<Found>();
        var agent = Runs(turns, Agent);
        var customer = Runs(turns, Customer);
        var everyone = Union(turns.Select(t => (t.StartMs, t.EndMs)));

        // Silences between speech, from the first word to the last (ringing before and wrap-up after are not the call's).
        long deadAir = 0, hold = 0;
        var holdGaps = new List<(long Start, long End)>();
        var deadAirMs = Ms(settings.DeadAirSeconds);
        for (var i = 1; i < everyone.Count; i++)
        {
            var (start, end) = (everyone[i - 1].End, everyone[i].Start);
            var gap = end - start;
            if (gap <= deadAirMs && gap <= Ms(settings.HoldSeconds))
                continue;
            if (SoundShare(agentLevels, start, end) >= HoldShare || ToneIn(agentTone, start, end))
            {
                hold += gap;
                holdGaps.Add((start, end));
                if (gap > Ms(settings.HoldSeconds))
                    found.Add(new(SignalRule.LongHold, start, end, Seconds(gap), settings.HoldSeconds, Agent, ""));
            }
            else if (gap > deadAirMs)
            {
                deadAir += gap;
                found.Add(new(SignalRule.DeadAir, start, end, Seconds(gap), settings.DeadAirSeconds, null, ""));
            }
        }

        var interruptions = TalkOver(agent, customer, settings, found);
        var agentTalk = Union(agent.Select(r => (r.StartMs, r.EndMs))).Sum(s => s.End - s.Start);
        var customerTalk = Union(customer.Select(r => (r.StartMs, r.EndMs))).Sum(s => s.End - s.Start);
        if (agentTalk + customerTalk > 0 && customer.Count > 0)
        {
            var percent = Math.Round(100.0 * agentTalk / (agentTalk + customerTalk), 1);
            if (percent > settings.AgentTalkPercent)
                found.Add(new(SignalRule.TalkRatio, everyone[0].Start, everyone[^1].End, percent, settings.AgentTalkPercent, Agent, ""));
        }
        foreach (var run in agent.Where(r => r.Length >= Ms(MinPaceSeconds)))
        {
            var wpm = Math.Round(Words(run.Text).Count / (run.Length / 60000.0));
            if (wpm > settings.AgentWordsPerMinute)
                found.Add(new(SignalRule.AgentPace, run.StartMs, run.EndMs, wpm, settings.AgentWordsPerMinute, Agent, ""));
        }
        var longest = LongestMonologue(agent, customer, deadAirMs, settings);
        if (longest is { } monologue && monologue.End - monologue.Start > Ms(settings.MonologueSeconds))
            found.Add(new(SignalRule.Monologue, monologue.Start, monologue.End, Seconds(monologue.End - monologue.Start), settings.MonologueSeconds, Agent, ""));
        ReplyGaps(agent, customer, holdGaps, settings, found);
        Frustration(turns, settings.PhrasesFor(language), found);
        RepeatedQuestions(turns, settings, found);

        var measures = new Measures(durationMs, agentTalk, customerTalk, deadAir, hold, interruptions,
            longest is { } l ? l.End - l.Start : 0);
        return new Evaluation(found.OrderBy(f => f.StartMs).ThenBy(f => f.Rule, StringComparer.Ordinal).ToList(), measures);
    }

    /// <summary>Both speaking longer than the threshold, charged to whoever started second, unless that is a backchannel.</summary>
    private static int TalkOver(List<Run> agent, List<Run> customer, SignalSettings settings, List<Found> found)
    {
        var count = 0;
        foreach (var a in agent)
            foreach (var c in customer)
            {
                var overlap = Math.Min(a.EndMs, c.EndMs) - Math.Max(a.StartMs, c.StartMs);
                if (overlap <= Ms(settings.TalkOverSeconds))
                    continue;
                var second = a.StartMs > c.StartMs ? a : c;
                if (second.Length < Ms(settings.BackchannelSeconds) || IsBackchannel(second.Text, settings.Backchannels))
                    continue;
                count++;
                found.Add(new(SignalRule.TalkOver, second.StartMs, Math.Min(a.EndMs, c.EndMs), Seconds(overlap), settings.TalkOverSeconds, second.Speaker, ""));
            }
        return count;
    }

    /// <summary>The longest stretch of agent runs with pauses under the dead-air threshold and no customer turn (other than a backchannel) between.</summary>
    private static (long Start, long End)? LongestMonologue(List<Run> agent, List<Run> customer, long maxPauseMs, SignalSettings settings)
    {
        (long Start, long End)? longest = null, current = null;
        foreach (var run in agent)
        {
            var interrupted = current is { } c && (run.StartMs - c.End >= maxPauseMs
                || customer.Any(x => x.StartMs > c.Start && x.StartMs < run.StartMs && !IsBackchannel(x.Text, settings.Backchannels)));
            current = current is { } open && !interrupted ? (open.Start, Math.Max(open.End, run.EndMs)) : (run.StartMs, run.EndMs);
            if (longest is not { } best || current.Value.End - current.Value.Start > best.End - best.Start)
                longest = current;
        }
        return longest;
    }

    /// <summary>The customer finished and the next to speak is the agent, after more than the threshold (not on hold).</summary>
    private static void ReplyGaps(List<Run> agent, List<Run> customer, List<(long Start, long End)> holds, SignalSettings settings, List<Found> found)
    {
        foreach (var c in customer)
        {
            var next = agent.Concat(customer).Where(r => r != c && r.StartMs > c.StartMs).MinBy(r => r.StartMs);
            if (next is not { Speaker: Agent })
                continue;
            var gap = next.StartMs - c.EndMs;
            if (gap > Ms(settings.ReplyGapSeconds) && !holds.Any(h => h.Start < next.StartMs && h.End > c.EndMs))
                found.Add(new(SignalRule.ReplyGap, c.EndMs, next.StartMs, Seconds(gap), settings.ReplyGapSeconds, Agent, ""));
        }
    }

    private static void Frustration(IReadOnlyList<Turn> turns, IReadOnlyList<string> phrases, List<Found> found)
    {
        var normalized = phrases.Select(p => (Phrase: p, Text: Normalize(p))).Where(p => p.Text.Length > 0).ToList();
        foreach (var turn in turns.Where(t => t.Speaker == Customer))
        {
            var text = $" {Normalize(turn.Text)} ";
            foreach (var (phrase, needle) in normalized)
            {
                var at = text.IndexOf($" {needle} ", StringComparison.Ordinal);
                if (at < 0)
                    continue;
                // A turn can hold several sentences: the phrase is placed by where its words fall in the turn's text.
                var startMs = turn.StartMs + (long)((turn.EndMs - turn.StartMs) * (double)at / text.Length);
                found.Add(new(SignalRule.Frustration, startMs, turn.EndMs, 1, 1, Customer, phrase));
            }
        }
    }

    private static readonly HashSet<string> QuestionWords = ["what", "why", "when", "how", "where", "who", "which", "can", "could", "is", "are", "do", "does", "did", "will", "would", "have", "has"];

    private static readonly HashSet<string> StopWords =
    [
        "the", "and", "for", "you", "your", "are", "was", "were", "have", "has", "had", "this", "that", "with", "what", "why", "when", "how",
        "where", "who", "which", "can", "could", "would", "will", "does", "did", "not", "but", "about", "there", "their", "they", "them",
        "from", "just", "been", "any", "all", "its", "it's", "i'm", "i've", "don't", "yet", "still", "now", "then", "please", "okay",
    ];

    /// <summary>A customer question whose content words largely repeat an earlier customer question: it went unanswered.</summary>
    private static void RepeatedQuestions(IReadOnlyList<Turn> turns, SignalSettings settings, List<Found> found)
    {
        var questions = new List<(Turn Turn, HashSet<string> Words)>();
        foreach (var turn in turns.Where(t => t.Speaker == Customer).OrderBy(t => t.StartMs))
        {
            var words = Words(turn.Text);
            if (!(turn.Text.Contains('?') || words.Count > 0 && QuestionWords.Contains(words[0])))
                continue;
            var content = words.Where(w => w.Length >= 3 && !StopWords.Contains(w)).ToHashSet();
            if (content.Count < MinQuestionWords)
                continue;
            var best = questions
                .Select(q => (q.Turn, Percent: Math.Round(100.0 * q.Words.Intersect(content).Count() / Math.Min(q.Words.Count, content.Count))))
                .Where(q => q.Percent >= settings.RepeatOverlapPercent)
                .OrderByDescending(q => q.Percent).FirstOrDefault();
            if (best.Turn is not null)
                found.Add(new(SignalRule.RepeatedQuestion, turn.StartMs, turn.EndMs, best.Percent, settings.RepeatOverlapPercent, Customer,
                    $"first asked at {Shared.TimeText.Format(best.Turn.StartMs)}"));
            questions.Add((turn, content));
        }
    }

    /// <summary>A turn made only of backchannel words ("yes", "mm-hm", "okay, right").</summary>
    public static bool IsBackchannel(string text, IReadOnlyList<string> backchannels)
    {
        var rest = $" {Normalize(text)} ";
        foreach (var phrase in backchannels.Select(Normalize).Where(p => p.Length > 0).OrderByDescending(p => p.Length))
            rest = rest.Replace($" {phrase} ", " ", StringComparison.Ordinal).Replace($" {phrase} ", " ", StringComparison.Ordinal);
        return rest.Trim().Length == 0;
    }

    /// <summary>Lower case, words separated by single spaces, punctuation gone (apostrophes and hyphens inside words kept).</summary>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var ch in text.ToLowerInvariant().Replace('’', '\''))
            builder.Append(char.IsLetterOrDigit(ch) || ch is '\'' or '-' ? ch : ' ');
        return string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('\'', '-')).Where(w => w.Length > 0));
    }

    private static List<string> Words(string text) => Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static List<Run> Runs(IReadOnlyList<Turn> turns, string speaker)
    {
        var runs = new List<Run>();
        foreach (var turn in turns.Where(t => t.Speaker == speaker && t.EndMs > t.StartMs).OrderBy(t => t.StartMs))
        {
            if (runs.Count > 0 && turn.StartMs - runs[^1].EndMs <= JoinMs)
                runs[^1] = runs[^1] with { EndMs = Math.Max(runs[^1].EndMs, turn.EndMs), Text = runs[^1].Text + " " + turn.Text };
            else
                runs.Add(new Run(speaker, turn.StartMs, turn.EndMs, turn.Text));
        }
        return runs;
    }

    private static List<(long Start, long End)> Union(IEnumerable<(long Start, long End)> spans)
    {
        var union = new List<(long Start, long End)>();
        foreach (var (start, end) in spans.Where(s => s.End > s.Start).OrderBy(s => s.Start))
        {
            if (union.Count > 0 && start <= union[^1].End)
                union[^1] = (union[^1].Start, Math.Max(union[^1].End, end));
            else
                union.Add((start, end));
        }
        return union;
    }

    /// <summary>Share of the whole seconds between start and end whose agent-channel level is at or above <see cref="SoundLevel"/>.</summary>
    private static double SoundShare(IReadOnlyList<double>? levels, long startMs, long endMs)
    {
        if (levels is null)
            return 0;
        var from = (int)Math.Ceiling(startMs / 1000.0);
        var to = Math.Min(levels.Count, (int)(endMs / 1000));
        return to <= from ? 0 : Enumerable.Range(from, to - from).Count(i => levels[i] >= SoundLevel) / (double)(to - from);
    }

    /// <summary>
    /// Whether the hold tone sounds in any second the silence touches: hold systems beep every few seconds, quietly, so one
    /// beep makes the silence hold where music would have to fill half of it.
    /// </summary>
    private static bool ToneIn(IReadOnlyList<bool>? tone, long startMs, long endMs)
    {
        if (tone is null)
            return false;
        var to = Math.Min(tone.Count, (int)Math.Ceiling(endMs / 1000.0));
        for (var i = (int)(startMs / 1000); i < to; i++)
            if (tone[i])
                return true;
        return false;
    }

    private static long Ms(double seconds) => (long)Math.Round(seconds * 1000);

    private static double Seconds(long ms) => Math.Round(ms / 1000.0, 1);
}
