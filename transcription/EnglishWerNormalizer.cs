using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CallReview.Transcription;

/// <summary>
/// English text made comparable before counting word errors, the way ASR evaluations usually do it (most of the rules of
/// OpenAI whisper's English normalizer, used by its papers and most WER leaderboards): lower case; no bracketed or
/// parenthesised words, no hesitations ("uh", "um"); contractions spelled out ("you're" = "you are", "can't" = "can not");
/// punctuation and symbols dropped; and numbers in digits whichever way they were written ("thirty days" = "30 days",
/// "nineteen eighty eight" = "1988", "four four two one" = "4421", "fifty five pounds" = "£55", "twenty percent" =
/// "20%"), a lone "1" written "one". Applied to the script and to every transcript alike. Its British-to-American
/// spelling list ("harbour" = "harbor") is left out, and "ninth" is read as 9th (whisper's own list spells it "nineth").
/// Also left out of whisper's number rules, so the output can differ from its normaliser's: "and a half" is not read as
/// "point five" (whisper's gives "2.5" for "two and a half"), dollars and cents are not combined (its combine_cents: "twenty
/// dollars and five cents" = "$20.05"), and amounts under one are not written in cents (its extract_cents: "$0.05" = "¢5").
/// The README's WER figures were measured with this normaliser as it is.
/// </summary>
public static partial class EnglishWerNormalizer
{
    private static readonly (Regex Pattern, string With)[] Replacements =
    [
        (new(@"\bwon't\b"), "will not"), (new(@"\bcan't\b"), "can not"), (new(@"\blet's\b"), "let us"), (new(@"\bain't\b"), "aint"),
        (new(@"\by'all\b"), "you all"), (new(@"\bwanna\b"), "want to"), (new(@"\bgotta\b"), "got to"), (new(@"\bgonna\b"), "going to"),
        (new(@"\bi'ma\b"), "i am going to"), (new(@"\bimma\b"), "i am going to"), (new(@"\bwoulda\b"), "would have"),
        (new(@"\bcoulda\b"), "could have"), (new(@"\bshoulda\b"), "should have"), (new(@"\bma'am\b"), "madam"),
        (new(@"\bmr\b"), "mister "), (new(@"\bmrs\b"), "missus "), (new(@"\bst\b"), "saint "), (new(@"\bdr\b"), "doctor "),
        (new(@"\bprof\b"), "professor "), (new(@"\bcapt\b"), "captain "), (new(@"\bgov\b"), "governor "), (new(@"\bald\b"), "alderman "),
        (new(@"\bgen\b"), "general "), (new(@"\bsen\b"), "senator "), (new(@"\brep\b"), "representative "), (new(@"\bpres\b"), "president "),
        (new(@"\brev\b"), "reverend "), (new(@"\bhon\b"), "honorable "), (new(@"\basst\b"), "assistant "), (new(@"\bassoc\b"), "associate "),
        (new(@"\blt\b"), "lieutenant "), (new(@"\bcol\b"), "colonel "), (new(@"\bjr\b"), "junior "), (new(@"\bsr\b"), "senior "),
        (new(@"\besq\b"), "esquire "),
        (new(@"'d been\b"), " had been"), (new(@"'s been\b"), " has been"), (new(@"'d gone\b"), " had gone"),
        (new(@"'s gone\b"), " has gone"), (new(@"'d done\b"), " had done"), (new(@"'s got\b"), " has got"),
        (new(@"n't\b"), " not"), (new(@"'re\b"), " are"), (new(@"'s\b"), " is"), (new(@"'d\b"), " would"),
        (new(@"'ll\b"), " will"), (new(@"'t\b"), " not"), (new(@"'ve\b"), " have"), (new(@"'m\b"), " am"),
    ];

    public static string Normalize(string text)
    {
        var s = text.ToLowerInvariant();
        s = Bracketed().Replace(s, "");
        s = Parenthesised().Replace(s, "");
        s = Hesitation().Replace(s, "");
        s = SpaceBeforeApostrophe().Replace(s, "'");
        foreach (var (pattern, with) in Replacements)
            s = pattern.Replace(s, with);
        s = CommaInNumber().Replace(s, "$1$2");
        s = PeriodNotInNumber().Replace(s, " $1");
        s = WithoutSymbols(s);
        s = Numbers(s);
        s = CurrencyThenNumber().Replace(s, "$1$2");
        s = NumberThenPercent().Replace(s, "$1%");
        s = LoneCurrencyOrPeriod().Replace(s, " $1");
        s = LonePercent().Replace(s, "$1 ");
        return Space().Replace(s, " ").Trim();
    }

    /// <summary>Marks, symbols and punctuation become spaces, bar those numbers keep; letters lose their accents.</summary>
    private static string WithoutSymbols(string s)
    {
        var kept = new StringBuilder(s.Length);
        foreach (var c in s.Normalize(NormalizationForm.FormKD))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
                continue;
            var symbol = category is UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                || char.IsPunctuation(c) || char.IsSymbol(c);
            kept.Append(symbol && ".%$¢€£".IndexOf(c) < 0 ? ' ' : c);
        }
        return kept.ToString();
    }

    private static readonly Dictionary<string, int> Ones = new[]
    {
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
        "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    }.Select((name, i) => (name, i + 1)).ToDictionary(p => p.name, p => p.Item2);

    private static readonly Dictionary<string, int> Tens = new()
    {
        ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90,
    };

    private static readonly Dictionary<string, long> Multipliers = new()
    {
        ["hundred"] = 100, ["thousand"] = 1_000, ["million"] = 1_000_000, ["billion"] = 1_000_000_000, ["trillion"] = 1_000_000_000_000,
    };

    /// <summary>Ordinals and plurals: the number, then the suffix it keeps ("fifteenth" = 15th, "twenties" = 20s).</summary>
    private static readonly Dictionary<string, (int Value, string Suffix)> OnesSuffixed = Ones
        .Select(p => (Name: p.Key == "six" ? "sixes" : p.Key + "s", Item: (p.Value, "s")))
        .Concat(Ones.Select(p => (Name: p.Value switch
        {
            1 => "first", 2 => "second", 3 => "third", 5 => "fifth", 12 => "twelfth",
            _ => p.Key + (p.Key.EndsWith('t') ? "h" : "th"),
        }, Item: (p.Value, p.Value switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" }))))
        .Select(p => p.Name == "nineth" ? ("ninth", p.Item) : p)
        .ToDictionary(p => p.Item1, p => p.Item);

    private static readonly Dictionary<string, (int Value, string Suffix)> TensSuffixed = Tens
        .SelectMany(p => new[] { (p.Key.Replace("y", "ies"), (p.Value, "s")), (p.Key.Replace("y", "ieth"), (p.Value, "th")) })
        .ToDictionary(p => p.Item1, p => p.Item2);

    private static readonly Dictionary<string, (long Value, string Suffix)> MultipliersSuffixed = Multipliers
        .SelectMany(p => new[] { (p.Key + "s", (p.Value, "s")), (p.Key + "th", (p.Value, "th")) })
        .ToDictionary(p => p.Item1, p => p.Item2);

    private static readonly HashSet<string> Zeros = ["o", "oh", "zero"];

    /// <summary>Said after a number, written before it.</summary>
    private static readonly Dictionary<string, string> Currencies = new()
    {
        ["pound"] = "£", ["pounds"] = "£", ["euro"] = "€", ["euros"] = "€", ["dollar"] = "$", ["dollars"] = "$", ["cent"] = "¢", ["cents"] = "¢",
    };

    private static readonly Dictionary<string, string> Signs = new() { ["minus"] = "-", ["negative"] = "-", ["plus"] = "+", ["positive"] = "+" };

    private static readonly HashSet<string> NumberWords =
    [
        .. Zeros, .. Ones.Keys, .. OnesSuffixed.Keys, .. Tens.Keys, .. TensSuffixed.Keys, .. Multipliers.Keys, .. MultipliersSuffixed.Keys,
        .. Currencies.Keys, .. Signs.Keys, "per", "percent", "and", "double", "triple", "point",
    ];

    /// <summary>Number words and digits written as one number each ("forty two" = 42, "oh seven" = 07, "twenty five percent" = 25%).</summary>
    private static string Numbers(string s)
    {
        s = LetterThenDigit().Replace(s, "$1 $2");
        s = DigitThenLetter().Replace(s, "$1 $2");
        s = DigitThenSuffix().Replace(s, "$1$2");
        var words = s.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var output = new List<string>(words.Length);
        // The number being read: null, a whole number, or digits read one by one (or with a decimal point) as a string.
        object? value = null;
        string? prefix = null;

        void Emit(object result)
        {
            output.Add(prefix + Convert.ToString(result, CultureInfo.InvariantCulture));
            value = null;
            prefix = null;
        }
        void EmitValue()
        {
            if (value is not null)
                Emit(value);
        }
        string Text(object v) => Convert.ToString(v, CultureInfo.InvariantCulture)!;
        // Digits read so far to add more to: none for nothing, or for a number read as 0.
        string Digits(object? v) => v is null or 0L ? "" : Text(v);

        for (var i = 0; i < words.Length; i++)
        {
            var previous = i > 0 ? words[i - 1] : null;
            var current = words[i];
            var next = i + 1 < words.Length ? words[i + 1] : null;
            var nextIsNumber = next is not null && Numeral().IsMatch(next);
            var signed = "-+$¢€£".IndexOf(current[0]) >= 0;
            var unsigned = signed ? current[1..] : current;
            if (Numeral().IsMatch(unsigned))
            {
                if (value is string text && text.EndsWith('.'))
                {
                    value = text + current;
                    continue;
                }
                EmitValue();
                prefix = signed ? current[..1] : prefix;
                value = long.TryParse(unsigned, NumberStyles.None, CultureInfo.InvariantCulture, out var whole) ? whole : unsigned;
            }
            else if (!NumberWords.Contains(current))
            {
                EmitValue();
                Emit(current);
            }
            else if (Zeros.Contains(current))
                value = Digits(value) + "0";
            else if (Ones.TryGetValue(current, out var one))
                value = WithOnes(value, previous, one);
            else if (OnesSuffixed.TryGetValue(current, out var ordinal))
                Emit(Text(WithOnes(value, previous, ordinal.Value)) + ordinal.Suffix);
            else if (Tens.TryGetValue(current, out var ten))
                value = WithTens(value, ten);
            else if (TensSuffixed.TryGetValue(current, out var tens))
                Emit(Text(WithTens(value, tens.Value)) + tens.Suffix);
            else if (Multipliers.TryGetValue(current, out var multiplier))
            {
                if (value is null)
                    value = multiplier;
                else if (value is long number && number != 0)
                    value = number / 1000 * 1000 + number % 1000 * multiplier;
                else if (decimal.TryParse(Text(value), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var fraction)
                    && fraction * multiplier is var product && product == decimal.Truncate(product))
                    value = (long)product;
                else
                {
                    Emit(value);
                    value = multiplier;
                }
            }
            else if (MultipliersSuffixed.TryGetValue(current, out var multiplied))
            {
                if (value is null)
                    Emit(multiplied.Value + multiplied.Suffix);
                else if (value is long number)
                    Emit(number / 1000 * 1000 + number % 1000 * multiplied.Value + multiplied.Suffix);
                else if (decimal.TryParse(Text(value), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var fraction)
                    && fraction * multiplied.Value is var product && product == decimal.Truncate(product))
                    Emit((long)product + multiplied.Suffix);
                else
                {
                    Emit(value);
                    Emit(multiplied.Value + multiplied.Suffix);
                }
            }
            else if (Signs.TryGetValue(current, out var sign))
            {
                EmitValue();
                if (next is not null && (NumberWords.Contains(next) || nextIsNumber))
                    prefix = sign;
                else
                    Emit(current);
            }
            else if (Currencies.TryGetValue(current, out var currency))
            {
                if (value is not null)
                {
                    prefix = currency;
                    Emit(value);
                }
                else
                    Emit(current);
            }
            else if (current is "per" or "percent")
            {
                if (value is not null && current == "percent")
                    Emit(Text(value) + "%");
                else if (value is not null && next == "cent")
                {
                    Emit(Text(value) + "%");
                    i++;
                }
                else
                {
                    EmitValue();
                    Emit(current);
                }
            }
            else if (next is null || (!NumberWords.Contains(next) && !nextIsNumber))
            {
                // "and", "double", "triple" or "point" with no number after it is just the word.
                EmitValue();
                Emit(current);
            }
            else if (current == "and")
            {
                // "two hundred and five": the "and" after a multiplier is part of the number.
                if (previous is null || !Multipliers.ContainsKey(previous))
                {
                    EmitValue();
                    Emit(current);
                }
            }
            else if (current is "double" or "triple")
            {
                if (Ones.TryGetValue(next, out var digit) || Zeros.Contains(next))
                {
                    value = Digits(value) + string.Concat(Enumerable.Repeat(Zeros.Contains(next) ? "0" : Text(digit), current == "double" ? 2 : 3));
                    i++;
                }
                else
                {
                    EmitValue();
                    Emit(current);
                }
            }
            else if (Ones.ContainsKey(next) || Tens.ContainsKey(next) || Zeros.Contains(next) || nextIsNumber)
                value = Digits(value) + ".";
        }
        EmitValue();
        // "one" stays a word: it is as often a pronoun ("the second one") as a number.
        return LoneOne().Replace(string.Join(' ', output), "one$1");
    }

    /// <summary>A unit said after what was read so far: "twenty" "five" = 25, "four" "four" = 44, "nineteen" "eighty" "eight" = 1988.</summary>
    private static object WithOnes(object? value, string? previous, int one)
    {
        switch (value)
        {
            case null:
                return (long)one;
            case string text when previous is not null && Tens.ContainsKey(previous) && one < 10 && text.EndsWith('0'):
                return text[..^1] + one;
            case string text:
                return text + one;
            case long number when previous is not null && Ones.ContainsKey(previous):
                return number.ToString(CultureInfo.InvariantCulture) + one;
            case long number when one < 10 ? number % 10 == 0 : number % 100 == 0:
                return number + one;
            case long number:
                return number.ToString(CultureInfo.InvariantCulture) + one;
            default:
                return value;
        }
    }

    private static object WithTens(object? value, int ten) => value switch
    {
        null => (long)ten,
        string text => text + ten,
        long number when number % 100 == 0 => number + ten,
        long number => number.ToString(CultureInfo.InvariantCulture) + ten,
        _ => value,
    };

    [GeneratedRegex(@"[<\[][^>\]]*[>\]]")]
    private static partial Regex Bracketed();
    [GeneratedRegex(@"\(([^)]+?)\)")]
    private static partial Regex Parenthesised();
    [GeneratedRegex(@"\b(hmm|mm|mhm|mmm|uh|um)\b")]
    private static partial Regex Hesitation();
    [GeneratedRegex(@"\s+'")]
    private static partial Regex SpaceBeforeApostrophe();
    [GeneratedRegex(@"(\d),(\d)")]
    private static partial Regex CommaInNumber();
    [GeneratedRegex(@"\.([^0-9]|$)")]
    private static partial Regex PeriodNotInNumber();
    [GeneratedRegex(@"([$¢€£])\s+([0-9])")]
    private static partial Regex CurrencyThenNumber();
    [GeneratedRegex(@"([0-9])\s+%")]
    private static partial Regex NumberThenPercent();
    [GeneratedRegex(@"[.$¢€£]([^0-9])")]
    private static partial Regex LoneCurrencyOrPeriod();
    [GeneratedRegex(@"([^0-9])%")]
    private static partial Regex LonePercent();
    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();
    [GeneratedRegex(@"([a-z])([0-9])")]
    private static partial Regex LetterThenDigit();
    [GeneratedRegex(@"([0-9])([a-z])")]
    private static partial Regex DigitThenLetter();
    [GeneratedRegex(@"([0-9])\s+(st|nd|rd|th|s)\b")]
    private static partial Regex DigitThenSuffix();
    [GeneratedRegex(@"^\d+(\.\d+)?$")]
    private static partial Regex Numeral();
    [GeneratedRegex(@"\b1(s?)\b")]
    private static partial Regex LoneOne();
}
