using System.Text.RegularExpressions;
using CallReview.Transcription.Redaction;

namespace CallReview.Web.Features.Retention;

/// <summary>
/// What a customer said and what names them on one call (reference, phone number), to take out of text staff and
/// learners wrote about the call (comments, dispute notes, discussion posts, critiques) when the customer asks to be
/// erased or retention anonymises the call: their words quoted verbatim (any three words in a row of the transcript) or
/// between quotation marks, the identifiers, the names either speaker said (an agent says "Thanks, Brenda" where the
/// customer never says their own name), digits, number words and e-mail addresses. The writer's own words stay, so a
/// review or a dispute still reads: the names of staff (the agent's, a colleague's), the words of the call's title (the
/// reviewer's, "Double charge"), a capitalised word neither speaker said ("the Premium plan") and a capitalised word that
/// is no name ("Mrs", "Monday", a word the customer also says in lower case) are not the customer's.
/// </summary>
public sealed partial class CustomerWords
{
    public const string Removed = "[…]";

    /// <summary>Verbatim runs at least this long are the customer's words, not a coincidence of common words.</summary>
    private const int RunWords = 3;

    private readonly HashSet<string> _runs = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string> _identifiers;
    private readonly string? _language;

    /// <param name="said">Every turn of the call (an agent may read back the customer's words, and names them).</param>
    /// <param name="saidByCustomer">The turns not on the agent's channel: a capitalised word they also hold in lower case names no one.</param>
    /// <param name="notNames">Staff's names and the call's title: their words are no customer's name, whoever said them.</param>
    /// <param name="language">The call's language: its number words are masked too.</param>
    public CustomerWords(IReadOnlyList<string> said, IEnumerable<string> saidByCustomer, IEnumerable<string?> identifiers, IEnumerable<string?> notNames,
        string? language)
    {
        _language = language;
        foreach (var text in said)
        {
            var words = Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).ToList();
            for (var i = 0; i + RunWords <= words.Count; i++)
                _runs.Add(string.Join(' ', words.GetRange(i, RunWords)));
        }
        // A name either speaker said (a capitalised word inside a sentence) goes wherever it is written, sentence start too. Only
        // the customer's own lower case makes it a common word: the agent's "I can grant you a refund" leaves "Mr Grant" a name.
        var lowerCase = saidByCustomer.SelectMany(text => Word().Matches(text)).Select(m => m.Value).Where(w => w == w.ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
        var writers = notNames.OfType<string>().SelectMany(text => Word().Matches(text)).Select(m => NumberWords.Normalize(m.Value)).ToHashSet(StringComparer.Ordinal);
        var names = said.SelectMany(CallDataRemoval.NamesIn)
            .Where(name => !lowerCase.Contains(name.ToLowerInvariant()) && NumberWords.Normalize(name) is var plain && !NoNames.Contains(plain) && !writers.Contains(plain));
        _identifiers = identifiers.Concat(names).OfType<string>().Select(s => s.Trim()).Where(s => s.Length >= 3).Distinct().OrderByDescending(s => s.Length).ToList();
    }

    public string Scrub(string text) => CallDataRemoval.MaskNumbersAndEmails(ScrubWords(text), _language);

    private string ScrubWords(string text)
    {
        foreach (var identifier in _identifiers)
            text = Regex.Replace(text, $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(identifier)}(?![\p{{L}}\p{{N}}])", Removed, RegexOptions.IgnoreCase);
        text = Quoted().Replace(text, Removed);
        var words = Word().Matches(text).ToList();
        var taken = new bool[words.Count];
        for (var i = 0; i + RunWords <= words.Count; i++)
            if (_runs.Contains(string.Join(' ', words.GetRange(i, RunWords).Select(m => m.Value.ToLowerInvariant()))))
                Array.Fill(taken, true, i, RunWords);
        // Right to left, so the earlier words' positions still hold.
        for (var end = words.Count - 1; end >= 0; end--)
        {
            if (!taken[end])
                continue;
            var start = end;
            while (start > 0 && taken[start - 1])
                start--;
            text = text[..words[start].Index] + Removed + text[(words[end].Index + words[end].Length)..];
            end = start;
        }
        return text;
    }

    /// <summary>Whether a short text (a call tag) holds the customer's identifiers, names or words, its own digits aside:
    /// "priority 1" or "tier-2" is staff's, not the customer's.</summary>
    public bool Holds(string text) => ScrubWords(text) != text;

    /// <summary>Capitalised words inside a sentence that name no one: titles, days and months (English, Italian, Romanian).</summary>
    private static readonly HashSet<string> NoNames = new(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "miss", "dr", "sir", "madam", "signor", "signore", "signora", "signorina", "dottore", "dottoressa",
        "domnul", "doamna", "domnule", "doamnei", "domnisoara",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "lunedi", "martedi", "mercoledi", "giovedi", "venerdi", "sabato", "domenica",
        "luni", "marti", "miercuri", "joi", "vineri", "sambata", "duminica",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
        "ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "septembrie", "octombrie", "noiembrie", "decembrie",
    };

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")]
    private static partial Regex Word();

    [GeneratedRegex("\"[^\"]*\"|“[^”]*”|„[^“”]*[“”]|«[^»]*»")]
    private static partial Regex Quoted();
}
