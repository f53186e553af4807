using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CallReview.Transcription.Redaction;

/// <summary>
/// Digits as people say them in English, Italian and Romanian, for finding card data that the recogniser wrote out
/// in words ("four one one one", "quattro uno uno", "patru unu unu"). Words are compared lower-cased and without
/// diacritics, so "nouă", "noua" and "şase"/"șase" all match.
/// </summary>
public static class NumberWords
{
    private static readonly Dictionary<string, string> Digits = new(StringComparer.Ordinal)
    {
        // English ("oh" is how a zero is read in a card number or a date; the recogniser writes it "O" in other languages too)
        ["zero"] = "0", ["oh"] = "0", ["o"] = "0", ["one"] = "1", ["two"] = "2", ["three"] = "3", ["four"] = "4", ["five"] = "5",
        ["six"] = "6", ["seven"] = "7", ["eight"] = "8", ["nine"] = "9",
        ["ten"] = "10", ["eleven"] = "11", ["twelve"] = "12", ["thirteen"] = "13", ["fourteen"] = "14", ["fifteen"] = "15",
        ["sixteen"] = "16", ["seventeen"] = "17", ["eighteen"] = "18", ["nineteen"] = "19",
        // Italian ("zero" shared)
        ["uno"] = "1", ["due"] = "2", ["tre"] = "3", ["quattro"] = "4", ["cinque"] = "5", ["sei"] = "6", ["sette"] = "7",
        ["otto"] = "8", ["nove"] = "9", ["dieci"] = "10", ["undici"] = "11", ["dodici"] = "12",
        // Romanian ("zero" shared; "o"/"un" are also articles, so only the counting forms)
        ["unu"] = "1", ["doi"] = "2", ["doua"] = "2", ["trei"] = "3", ["patru"] = "4", ["cinci"] = "5", ["sase"] = "6",
        ["sapte"] = "7", ["opt"] = "8", ["noua"] = "9", ["zece"] = "10",
        // Romanian digits as whisper (base) writes them from synthetic speech, seen in redaction-benchmark: "zero" as "nero",
        // "nouă" as "nola", "nula", "noă", "șapte" as "apte" ("și apte"), "șase" as "șate", "patru" as "patrut"
        ["nero"] = "0", ["nola"] = "9", ["nula"] = "9", ["noa"] = "9", ["apte"] = "7", ["sate"] = "6", ["patrut"] = "4", ["unul"] = "1",
    };

    /// <summary>Tens that may be followed by a unit word ("twenty seven" = 27, "douăzeci și șapte", as in an expiry date).</summary>
    private static readonly Dictionary<string, int> Tens = new(StringComparer.Ordinal)
    {
        ["twenty"] = 2, ["thirty"] = 3, ["forty"] = 4, ["fifty"] = 5, ["sixty"] = 6, ["seventy"] = 7, ["eighty"] = 8, ["ninety"] = 9,
        ["venti"] = 2, ["trenta"] = 3, ["quaranta"] = 4, ["cinquanta"] = 5, ["sessanta"] = 6, ["settanta"] = 7, ["ottanta"] = 8, ["novanta"] = 9,
        // Romanian says the unit after "și": "douăzeci și opt" is 28
        ["douazeci"] = 2, ["treizeci"] = 3, ["patruzeci"] = 4, ["cincizeci"] = 5, ["saizeci"] = 6, ["saptezeci"] = 7, ["optzeci"] = 8, ["nouazeci"] = 9,
    };

    /// <summary>Month names: an expiry date is often said "March twenty-seven". May/mai are left out: they are everyday words too.</summary>
    private static readonly Dictionary<string, string> Months = new(StringComparer.Ordinal)
    {
        ["january"] = "01", ["february"] = "02", ["march"] = "03", ["april"] = "04", ["june"] = "06", ["july"] = "07",
        ["august"] = "08", ["september"] = "09", ["october"] = "10", ["november"] = "11", ["december"] = "12",
        ["gennaio"] = "01", ["febbraio"] = "02", ["marzo"] = "03", ["aprile"] = "04", ["maggio"] = "05", ["giugno"] = "06",
        ["luglio"] = "07", ["agosto"] = "08", ["settembre"] = "09", ["ottobre"] = "10", ["novembre"] = "11", ["dicembre"] = "12",
        ["ianuarie"] = "01", ["februarie"] = "02", ["martie"] = "03", ["aprilie"] = "04", ["iunie"] = "06",
        ["iulie"] = "07", ["septembrie"] = "09", ["octombrie"] = "10", ["noiembrie"] = "11", ["decembrie"] = "12",
    };

    /// <summary>Words said between digits that do not end a number ("four one, uh, one one").</summary>
    private static readonly HashSet<string> Fillers = new(StringComparer.Ordinal)
    {
        "uh", "um", "er", "erm", "eh", "ehm", "and", "then", "dash", "e", "poi", "si", "apoi",
    };

    /// <summary>
    /// The digits a word stands for, or null. Digit words the recogniser ran together ("neroșate", "cincinero") count as
    /// their digits when every part is a digit word of three letters or more.
    /// </summary>
    public static string? DigitsOf(string normalizedWord) =>
        Digits.GetValueOrDefault(normalizedWord) ?? Months.GetValueOrDefault(normalizedWord) ?? Glued(normalizedWord);

    private static string? Glued(string word)
    {
        for (var cut = 3; cut <= word.Length - 3; cut++)
            if (Digits.TryGetValue(word[..cut], out var first) && first.Length == 1
                && (Digits.TryGetValue(word[cut..], out var rest) && rest.Length == 1 || (rest = Glued(word[cut..])) is not null))
                return first + rest;
        return null;
    }

    /// <summary>The tens digit of a tens word ("twenty" = 2), or null.</summary>
    public static int? TensOf(string normalizedWord) => Tens.TryGetValue(normalizedWord, out var t) ? t : null;

    public static bool IsFiller(string normalizedWord) => Fillers.Contains(normalizedWord);

    /// <summary>
    /// Number words per language for anonymising text, compounds included ("ventitre", "douazeci"); words that are as often
    /// something else ("o", "oh", "uno" and "sei" in Italian) are left out.
    /// </summary>
    private static readonly Dictionary<string, Regex> Spoken = new(StringComparer.Ordinal)
    {
        ["en"] = new(@"^(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million)$", RegexOptions.Compiled),
        ["it"] = new(@"^(zero|due|tre|quattro|cinque|sette|otto|nove|dieci|undici|dodici|tredici|quattordici|quindici|sedici|diciassette|diciotto|diciannove|(venti|vent|trenta|trent|quaranta|quarant|cinquanta|cinquant|sessanta|sessant|settanta|settant|ottanta|ottant|novanta|novant)(uno|due|tre|quattro|cinque|sei|sette|otto|nove)?|\w*cento\w*|mille|\w*mila)$", RegexOptions.Compiled),
        ["ro"] = new(@"^(zero|unu|doi|doua|trei|patru|cinci|sase|sapte|opt|noua|zece|(un|doi|trei|pai|cinci|sai|sapte|opt|noua)sprezece|(doua|trei|patru|cinci|sai|sapte|opt|noua)zeci|suta|sute|mie|mii)$", RegexOptions.Compiled),
    };

    /// <summary>Whether <paramref name="normalizedWord"/> says a number in English or in <paramref name="language"/> (it, ro).</summary>
    public static bool IsNumberWord(string normalizedWord, string? language) =>
        Spoken["en"].IsMatch(normalizedWord) || (language is not null && Spoken.TryGetValue(language, out var spoken) && spoken.IsMatch(normalizedWord));

    /// <summary>Lower case without diacritics: how words are compared.</summary>
    public static string Normalize(string word)
    {
        var decomposed = word.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var plain = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                plain.Append(c);
        return plain.ToString();
    }
}
