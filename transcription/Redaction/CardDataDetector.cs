using System.Text;
using System.Text.RegularExpressions;
using CallReview.Transcription.Jobs;

namespace CallReview.Transcription.Redaction;

/// <summary>What was found: a card number, its security code or its expiry date.</summary>
public static class CardDataKinds
{
    public const string CardNumber = "card-number";
    public const string SecurityCode = "security-code";
    public const string ExpiryDate = "expiry-date";

    public static string Describe(string kind) => kind switch
    {
        CardNumber => "card number",
        SecurityCode => "security code",
        ExpiryDate => "expiry date",
        _ => kind,
    };
}

/// <summary>
/// Card data in one turn: the time span to mute on its channel (when its digits were said, with a margin),
/// what it is, which rule found it and the masked text that replaced it. The digits themselves are never kept.
/// </summary>
public sealed record CardDataFinding(int Channel, string Speaker, long StartMs, long EndMs, string Kind, string Rule, string MaskedText);

public sealed record RedactedTranscript(IReadOnlyList<TranscriptTurn> Turns, IReadOnlyList<CardDataFinding> Findings);

/// <summary>
/// Finds card data in a transcript and masks it. Digits are read as written ("4539 1488") or as words in English, Italian or
/// Romanian ("four five", "quattro cinque", "patru cinci"), across punctuation and fillers, and across a speaker's
/// consecutive turns when the number runs on. A run of digits is then judged by its length, the Luhn check and its
/// context — the nearest words before it that ask for or announce a card number, security code or expiry date (or a
/// phone, order or amount, which rule card data out):
/// <list type="bullet">
/// <item><c>luhn-N</c>: 13–19 digits passing the Luhn check, unless only a non-card request precedes them;</item>
/// <item><c>luhn-N at the start of a M-digit run</c>: a card number read on together with what follows;</item>
/// <item><c>run-N after card request</c>: 12 or more digits after a card request, Luhn or not — speech recognition
/// mangles spoken digits ("459, 148, 034364677"), so a Luhn check alone misses real card numbers;</item>
/// <item><c>run-N after security-code request</c>, <c>run-N after expiry request</c>: a short run after such a request;</item>
/// <item><c>run-3 after card number</c>, <c>mmyy after card number</c>: a short run the same speaker says within a minute of a card number.</item>
/// </list>
/// A card number is masked to its first six and last four digits at most ("4539 14•• •••• 6467"), a security code and an
/// expiry date entirely.
/// </summary>
public static partial class CardDataDetector
{
    /// <summary>A muted span is widened by this much on each side, for speech detection's edges.</summary>
    public const int PadMs = 500;
    /// <summary>
    /// And by this share of its turn's length where it is placed by letters (a turn without word times, or whose words do not
    /// spell its text): the digits' time is then estimated from where they are in the line, and speech is not spoken at an even pace.
    /// </summary>
    public const double PlacementMargin = 0.1;
    /// <summary>
    /// The longest a timed word may last per digit it holds (a word: one), else its times are not trusted: whisper's token
    /// times without an alignment pass can stretch one group of digits over seconds and crowd the rest of a line into its
    /// last instant at zero length (seen with tiny.en on this project's card-call test).
    /// </summary>
    private const int MaxWordMsPerDigit = 1200;
    /// <summary>How many letters a digit written as a numeral weighs when placing it: "4" is said "four".</summary>
    private const double LettersPerDigit = 4.5;
    /// <summary>A number read on in the speaker's next turn counts as one when the pause between is at most this long.</summary>
    private const long JoinTurnsMs = 6000;
    /// <summary>How far back a request is looked for, and how long after a card number a short run is taken as its code or date.</summary>
    private const long ContextMs = 60_000;
    private const char Hidden = '•';
    public const string HiddenCode = "•••";
    public const string HiddenDate = "••/••";

    [Flags]
    private enum Context { None = 0, Card = 1, SecurityCode = 2, Expiry = 4, Other = 8, Repeat = 16 }

    [GeneratedRegex(@"\b(card|cards|carta|carte|cardul|cardului|ardui|caldui|calului|long number|payment|pay|pagamento|pagare|plata|plati)\b")]
    private static partial Regex CardWords();

    [GeneratedRegex(@"\b(security code|security number|cvv|cvc|cv2|three digits|3 digits|three-digit|back of the card|codice di sicurezza|codice cvv|tre cifre|sul retro|codul de securitate|cod de securitate|de securita|desecurita|codul cvv|trei cifre|spatele cardului)\b")]
    private static partial Regex SecurityWords();

    [GeneratedRegex(@"\b(expiry|expiration|expires|expire|valid until|valid thru|end date|scadenza|scade|expirare|expirarii|expirari|expira|expivare|valabil|valabilitate)\b")]
    private static partial Regex ExpiryWords();

    [GeneratedRegex(@"\b(phone|telephone|mobile|order|reference|account|postcode|zip|amount|pounds|euros?|dollars|date of birth|birthday|born|telefono|cellulare|ordine|riferimento|importo|conto|telefon|mobil|comanda|comenzii|comemii|referinta|suma|lei|cont|nascita|nasterii|nascut)\b")]
    private static partial Regex OtherWords();

    /// <summary>
    /// Asking to hear it again ("Sorry?", "Could you repeat that?", "Scusi, può ripetere?", "Poftim?"): what is said next answers
    /// the request before, and is a number of its own, not more of the one before.
    /// </summary>
    [GeneratedRegex(@"\b(sorry|pardon|repeat|say that again|say it again|come again|didn'?t catch|did not catch|didn'?t get|did not get|didn'?t hear|did not hear|missed that|scusi|scusa|ripetere|ripeta|ripetermi|non ho capito|non ho sentito|poftim|scuzati|scuze|repetati|repeta|nu am inteles|n-am inteles|nu am auzit|n-am auzit)\b")]
    private static partial Regex RepeatWords();

    [GeneratedRegex(@"\d+|[\p{L}\p{M}']+")]
    private static partial Regex Tokens();

    private sealed record Token(int Start, int End, string Word, string? Digits, int? Tens);

    /// <summary>A stretch of one turn's text holding digits <see cref="From"/>..<see cref="To"/> of its run.</summary>
    private sealed record Piece(int Turn, int Start, int End, int From, int To);

    private sealed class Run
    {
        public List<Piece> Pieces { get; } = [];
        public StringBuilder Digits { get; } = new();
        public bool FromTurnStart { get; set; }
        public bool ToTurnEnd { get; set; }
        public int FirstTurn => Pieces[0].Turn;
        public int LastTurn => Pieces[^1].Turn;
    }

    private sealed record Decision(string Kind, string Rule, int CardDigits = 0);

    public static RedactedTranscript Redact(IReadOnlyList<TranscriptTurn> turns)
    {
        var order = Enumerable.Range(0, turns.Count).OrderBy(i => turns[i].StartMs).ThenBy(i => turns[i].Channel).ToList();
        var position = order.Select((turn, at) => (turn, at)).ToDictionary(p => p.turn, p => p.at);
        var runsByTurn = order.ToDictionary(i => i, i => RunsOf(i, turns[i].Text));
        var runs = JoinAcrossTurns(turns, order, position, runsByTurn);

        var replacements = new List<(Piece Piece, string Text)>();
        var findings = new List<(int Turn, int From, int To, string Kind, string Rule, string Masked)>();
        var lastCardAt = new Dictionary<(int, string), long>();
        // A card has one security code and one expiry date, and a request is answered once: a later short run (a date of
        // birth, an amount) is not taken for another code because the question is still within reach.
        var saidSinceCard = new Dictionary<(int, string), HashSet<string>>();
        var answered = new Dictionary<(int Turn, string Kind), int>();
        foreach (var run in runs.OrderBy(r => turns[r.FirstTurn].StartMs).ThenBy(r => r.Pieces[0].Start))
        {
            var digits = run.Digits.ToString();
            var first = turns[run.FirstTurn];
            var speaker = (first.Channel, first.Speaker);
            var (context, askedIn) = ContextOf(turns, order, position, run, runsByTurn);
            if (answered.TryGetValue((askedIn, CardDataKinds.SecurityCode), out var codeIn) && !Repeats(codeIn))
                context &= ~Context.SecurityCode;
            if (answered.TryGetValue((askedIn, CardDataKinds.ExpiryDate), out var dateIn) && !Repeats(dateIn))
                context &= ~Context.Expiry;
            // A code or date corrected or said again ("one two three, sorry, one three two") answers the same request: in the
            // answer's turn, or with only the speaker's own turns, questions or requests to say it again in between.
            bool Repeats(int answerTurn) => Enumerable.Range(position[answerTurn] + 1, Math.Max(0, position[run.FirstTurn] - position[answerTurn] - 1))
                .Select(at => turns[order[at]])
                .All(turn => (turn.Channel, turn.Speaker) == speaker || turn.Text.TrimEnd().EndsWith('?') || Classify(turn.Text) == Context.Repeat);
            var cardBefore = lastCardAt.TryGetValue(speaker, out var at) && first.StartMs - at <= ContextMs;
            if (Decide(digits, context, cardBefore, saidSinceCard.GetValueOrDefault(speaker) ?? []) is not { } decision)
                continue;
            answered.TryAdd((askedIn, decision.Kind), run.LastTurn);
            if (decision.Kind == CardDataKinds.CardNumber)
            {
                lastCardAt[speaker] = turns[run.LastTurn].EndMs;
                saidSinceCard[speaker] = [];
            }
            else if (saidSinceCard.TryGetValue(speaker, out var said))
                said.Add(decision.Kind);
            foreach (var piece in run.Pieces)
            {
                replacements.Add((piece, decision.Kind switch
                {
                    CardDataKinds.CardNumber => MaskCard(digits, decision.CardDigits, piece.From, piece.To),
                    CardDataKinds.SecurityCode => HiddenCode,
                    _ => HiddenDate,
                }));
            }
            foreach (var turn in run.Pieces.GroupBy(p => p.Turn))
                findings.Add((turn.Key, turn.Min(p => p.Start), turn.Max(p => p.End), decision.Kind, decision.Rule,
                    string.Join(" ", replacements.Where(r => r.Piece.Turn == turn.Key && turn.Contains(r.Piece)).Select(r => r.Text))));
        }

        var masked = turns.Select((turn, i) =>
        {
            var text = turn.Text;
            foreach (var (piece, replacement) in replacements.Where(r => r.Piece.Turn == i).OrderByDescending(r => r.Piece.Start))
                text = string.Concat(text.AsSpan(0, piece.Start), replacement, text.AsSpan(piece.End));
            return text == turn.Text ? turn : turn with { Text = text };
        }).ToList();
        return new RedactedTranscript(masked, findings.Select(f =>
        {
            var turn = turns[f.Turn];
            var (startMs, endMs) = Placed(turn, f.From, f.To);
            return new CardDataFinding(turn.Channel, turn.Speaker, startMs, endMs, f.Kind, f.Rule, f.Masked);
        }).ToList());
    }

    /// <summary>
    /// The time span of characters <paramref name="from"/>..<paramref name="to"/> of a turn's text: from the first of their
    /// words to the last as the recogniser timed them, widened by <see cref="PadMs"/> (whisper's token times, without an
    /// alignment pass, can be some tenths of a second off); without word times, placed by how much is said before and
    /// through them (letters, a numeral as a digit word), widened by <see cref="PlacementMargin"/> of the turn and
    /// <see cref="PadMs"/>. Never beyond the turn's own padded span; digits that open or close the turn reach its edge.
    /// </summary>
    private static (long StartMs, long EndMs) Placed(TranscriptTurn turn, int from, int to)
    {
        var text = turn.Text;
        double Said(int end) => Tokens().Matches(text[..end]).Sum(m => char.IsAsciiDigit(m.Value[0]) ? m.Length * LettersPerDigit : m.Length);
        var total = Said(text.Length);
        var length = turn.EndMs - turn.StartMs;
        var (first, last) = (Math.Max(0, turn.StartMs - PadMs), turn.EndMs + PadMs);
        if (total == 0)
            return (first, last);
        var (opens, closes) = (Said(from) == 0, Said(to) == total);
        var (saidFrom, saidTo) = WordTimes(turn, from, to) is { } timed
            ? (timed.StartMs - PadMs, timed.EndMs + PadMs)
            : (turn.StartMs + (long)(length * Said(from) / total) - PadMs - (long)(PlacementMargin * length),
                turn.StartMs + (long)(length * Said(to) / total) + PadMs + (long)(PlacementMargin * length));
        return (opens ? first : Math.Clamp(saidFrom, first, last), closes ? last : Math.Clamp(saidTo, first, last));
    }

    /// <summary>
    /// When the words holding characters <paramref name="from"/>..<paramref name="to"/> of a turn's text were said, by the
    /// recogniser's word times; null without them, when the timed words do not spell the text word for word, or when one
    /// of those words lasts no time or implausibly long (<see cref="MaxWordMsPerDigit"/>).
    /// </summary>
    private static (long StartMs, long EndMs)? WordTimes(TranscriptTurn turn, int from, int to)
    {
        if (turn.Words is not { Count: > 0 } words)
            return null;
        var timed = words.SelectMany(w => Tokens().Matches(w.Text).Select(m => (m.Value, Word: w))).ToList();
        var tokens = Tokens().Matches(turn.Text);
        if (tokens.Count != timed.Count || Enumerable.Range(0, tokens.Count).Any(i => tokens[i].Value != timed[i].Value))
            return null;
        var inside = Enumerable.Range(0, tokens.Count).Where(i => tokens[i].Index < to && tokens[i].Index + tokens[i].Length > from).ToList();
        if (inside.Count == 0 || inside.Select(i => timed[i]).Any(t =>
                t.Word.End <= t.Word.Start || (t.Word.End - t.Word.Start) * 1000 > MaxWordMsPerDigit * Math.Max(1, t.Value.Count(char.IsAsciiDigit))))
            return null;
        return ((long)(timed[inside[0]].Word.Start * 1000), (long)Math.Ceiling(timed[inside[^1]].Word.End * 1000));
    }

    private static Decision? Decide(string digits, Context context, bool cardBefore, IReadOnlySet<string> saidSinceCard)
    {
        var n = digits.Length;
        var otherOnly = context == Context.Other;
        var asked = context.HasFlag(Context.Card) ? " after card request" : "";
        if (!otherOnly && IsCardNumber(digits))
            return new Decision(CardDataKinds.CardNumber, $"luhn-{n}{asked}", n);
        if (n > 19 && !otherOnly && new[] { 16, 15, 19, 18, 17, 14, 13 }.FirstOrDefault(k => Luhn(digits[..k])) is > 0 and var prefix)
            // A Luhn-valid prefix of a longer run may be chance (one in ten per length tried): its "last four" could be the
            // expiry or code read on, so only the first six show, as for any run over 19 digits.
            return new Decision(CardDataKinds.CardNumber, $"luhn-{prefix} at the start of a {n}-digit run", 6);
        if (context.HasFlag(Context.Card) && n >= 12)
            // Over 19 digits the card's end is not known (its expiry and code may have been read on): only its first six show.
            return new Decision(CardDataKinds.CardNumber, $"run-{n} after card request", n > 19 ? 6 : n);
        if (context.HasFlag(Context.SecurityCode) && n is 3 or 4)
            return new Decision(CardDataKinds.SecurityCode, $"run-{n} after security-code request");
        if (context.HasFlag(Context.Expiry) && n is >= 3 and <= 6)
            return new Decision(CardDataKinds.ExpiryDate, $"run-{n} after expiry request");
        if (cardBefore && !context.HasFlag(Context.Other))
        {
            if (n == 4 && int.Parse(digits[..2]) is >= 1 and <= 12 && !saidSinceCard.Contains(CardDataKinds.ExpiryDate))
                return new Decision(CardDataKinds.ExpiryDate, "mmyy after card number");
            if (n is 3 or 4 && !saidSinceCard.Contains(CardDataKinds.SecurityCode))
                return new Decision(CardDataKinds.SecurityCode, $"run-{n} after card number");
        }
        return null;
    }

    /// <summary>A whole card number already: what the speaker says next (an expiry date, a code) is not more of it.</summary>
    private static bool IsCardNumber(string digits) => digits.Length is >= 13 and <= 19 && Luhn(digits);

    /// <summary>The Luhn (mod 10) check every payment card number passes.</summary>
    public static bool Luhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return digits.Length > 0 && sum % 10 == 0;
    }

    /// <summary>
    /// Digits <paramref name="from"/>..<paramref name="to"/> of a card number as shown: the first six and last four of its
    /// <paramref name="cardDigits"/> kept, everything else hidden, in groups of four.
    /// </summary>
    private static string MaskCard(string digits, int cardDigits, int from, int to)
    {
        var text = new StringBuilder();
        for (var i = from; i < to; i++)
        {
            if (i > from && i % 4 == 0)
                text.Append(' ');
            text.Append(i < 6 || (i >= cardDigits - 4 && i < cardDigits) ? digits[i] : Hidden);
        }
        return text.ToString();
    }

    /// <summary>The runs of digits in one turn's text, each with where in the text it lies.</summary>
    private static List<Run> RunsOf(int turn, string text)
    {
        var tokens = Tokens().Matches(text).Select(m =>
        {
            var word = NumberWords.Normalize(m.Value);
            var digits = char.IsAsciiDigit(m.Value[0]) ? m.Value : NumberWords.DigitsOf(word);
            return new Token(m.Index, m.Index + m.Length, word, digits, digits is null ? NumberWords.TensOf(word) : null);
        }).ToList();
        var runs = new List<Run>();
        Run? current = null;
        var sawWord = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var digits = token.Digits;
            var end = token.End;
            if (token.Tens is { } tens)
            {
                // "twenty seven" and "douăzeci și șapte" are 27; "twenty" alone is 20.
                var next = i + 2 < tokens.Count && tokens[i + 1].Word == "si" ? i + 2 : i + 1;
                if (next < tokens.Count && tokens[next] is { Tens: null, Digits: [>= '1' and <= '9'] unit } && !char.IsAsciiDigit(text[tokens[next].Start]))
                {
                    digits = $"{tens}{unit}";
                    end = tokens[next].End;
                    i = next;
                }
                else
                    digits = $"{tens}0";
            }
            if (digits is not null)
            {
                if (current is null)
                {
                    current = new Run { FromTurnStart = !sawWord };
                    runs.Add(current);
                }
                var from = current.Digits.Length;
                current.Digits.Append(digits);
                var piece = current.Pieces.Count > 0 ? current.Pieces[^1] : null;
                if (piece is null)
                    current.Pieces.Add(new Piece(turn, token.Start, end, from, current.Digits.Length));
                else
                    current.Pieces[^1] = piece with { End = end, To = current.Digits.Length };
                continue;
            }
            if (current is not null && NumberWords.IsFiller(token.Word))
                continue;
            current = null;
            sawWord = true;
        }
        foreach (var run in runs)
            run.ToTurnEnd = !tokens.Any(t => t.Start >= run.Pieces[^1].End && t.Digits is null && t.Tens is null && !NumberWords.IsFiller(t.Word));
        return runs;
    }

    /// <summary>
    /// A run that ends its turn goes on in the same speaker's next turn when that one starts with digits soon after, unless it
    /// is a whole card number already or the other speaker asked for something in between ("And the expiry date?").
    /// </summary>
    private static List<Run> JoinAcrossTurns(IReadOnlyList<TranscriptTurn> turns, List<int> order, Dictionary<int, int> position, Dictionary<int, List<Run>> runsByTurn)
    {
        var joined = new List<Run>();
        foreach (var speakerTurns in order.GroupBy(i => (turns[i].Channel, turns[i].Speaker)))
        {
            Run? open = null;
            var openEnd = 0L;
            foreach (var i in speakerTurns)
            {
                var runs = runsByTurn[i];
                for (var r = 0; r < runs.Count; r++)
                {
                    var run = runs[r];
                    if (r == 0 && open is not null && run.FromTurnStart && turns[i].StartMs - openEnd <= JoinTurnsMs && !IsCardNumber(open.Digits.ToString())
                        && !AskedBetween(turns, order, position, open.LastTurn, i, repeatSplits: !IsCardNumber(open.Digits.ToString() + run.Digits)))
                    {
                        var offset = open.Digits.Length;
                        open.Digits.Append(run.Digits);
                        open.Pieces.AddRange(run.Pieces.Select(p => p with { From = p.From + offset, To = p.To + offset }));
                        open.ToTurnEnd = run.ToTurnEnd;
                        continue;
                    }
                    joined.Add(run);
                    open = run;
                }
                open = open is not null && open.LastTurn == i && open.ToTurnEnd ? open : null;
                openEnd = turns[i].EndMs;
            }
        }
        return joined;
    }

    /// <summary>
    /// Whether another speaker asked or said something about card data, a phone or an order, or asked to hear it again ("Sorry?"),
    /// between two turns: then a new number starts. A request to hear it again does not split two halves that together make a
    /// card number (<paramref name="repeatSplits"/> false): "Sorry, go on" in the middle of a card asks for the rest.
    /// </summary>
    private static bool AskedBetween(IReadOnlyList<TranscriptTurn> turns, List<int> order, Dictionary<int, int> position, int before, int after,
        bool repeatSplits)
    {
        var (from, to) = (position[before], position[after]);
        return order.Skip(from + 1).Take(to - from - 1)
            .Any(i => (turns[i].Channel, turns[i].Speaker) != (turns[after].Channel, turns[after].Speaker)
                && Classify(turns[i].Text) is var asked && asked != Context.None && (repeatSplits || asked != Context.Repeat));
    }

    /// <summary>
    /// What the nearest words before a run ask for: the run's own turn after the previous run, then the whole of its turn
    /// before it, then earlier turns of either speaker, nearest first, within <see cref="ContextMs"/>. A request to hear it
    /// again asks for what was asked before it, so the search goes on past it.
    /// </summary>
    private static (Context Context, int AskedIn) ContextOf(IReadOnlyList<TranscriptTurn> turns, List<int> order, Dictionary<int, int> position, Run run, Dictionary<int, List<Run>> runsByTurn)
    {
        var turn = run.FirstTurn;
        var text = turns[turn].Text;
        var start = run.Pieces[0].Start;
        var previous = runsByTurn[turn].SelectMany(r => r.Pieces).Where(p => p.Turn == turn && p.End <= start).Select(p => p.End).DefaultIfEmpty(0).Max();
        foreach (var before in new[] { text[previous..start], text[..start] })
            if (Classify(before) is not (Context.None or Context.Repeat) and var found)
                return (found, turn);
        for (var k = position[turn] - 1; k >= 0; k--)
        {
            var earlier = turns[order[k]];
            if (turns[turn].StartMs - earlier.StartMs > ContextMs)
                break;
            if (Classify(earlier.Text) is not (Context.None or Context.Repeat) and var found)
                return (found, order[k]);
        }
        return (Context.None, -1);
    }

    /// <summary>
    /// What the last sentence of <paramref name="text"/> that asks or announces anything is about; <c>Repeat</c> only when
    /// nothing else is asked ("And the security code? Sorry." still asks for the code).
    /// </summary>
    private static Context Classify(string text)
    {
        var found = Context.None;
        foreach (var sentence in Sentences().Split(text).Reverse())
        {
            var context = ClassifySentence(sentence);
            if (context is not (Context.None or Context.Repeat))
                return context;
            found |= context;
        }
        return found;
    }

    [GeneratedRegex(@"(?<=[\p{L}\s][.?!])\s+")]
    private static partial Regex Sentences();

    private static Context ClassifySentence(string text)
    {
        var plain = NumberWords.Normalize(text);
        var context = Context.None;
        if (CardWords().IsMatch(plain))
            context |= Context.Card;
        if (SecurityWords().IsMatch(plain))
            context |= Context.SecurityCode;
        if (ExpiryWords().IsMatch(plain))
            context |= Context.Expiry;
        if (OtherWords().IsMatch(plain))
            context |= Context.Other;
        // "Sorry, could you repeat the card number?" asks for the card: a request to repeat only stands alone.
        if (context == Context.None && RepeatWords().IsMatch(plain))
            context = Context.Repeat;
        return context;
    }
}
