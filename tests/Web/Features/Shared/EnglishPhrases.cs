using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CallReview.Tests.Web.Features.Shared;

/// <summary>
/// The interface's English that must not show on a page in another language: every phrase (two words or more) whose
/// translation reads differently, and of a text with figures (<c>"Keeping calls for {0} days reaches…"</c>) each
/// stretch of words between its figures, so a message built with numbers is caught too.
/// </summary>
public static partial class EnglishPhrases
{
    private static readonly string Shared = Path.Combine(RepoRoot.Path, "web", "Features", "Shared");

    public static Dictionary<string, string> Read(string culture) =>
        XDocument.Load(Path.Combine(Shared, culture == "" ? "Text.resx" : $"Text.{culture}.resx"))
            .Root!.Elements("data").ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);

    public static IReadOnlyList<string> Differing(string culture)
    {
        var translated = Read(culture);
        return Read("")
            .Where(e => translated[e.Key] != e.Value)
            .SelectMany(e => Placeholder().Split(e.Value)
                .Select(part => part.Trim().Trim('.', ':', '?', ',', ';', '(', ')', '"', ' '))
                .Where(part => part.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => w.Count(char.IsLetter) >= 2) >= 2
                    && !translated[e.Key].Contains(part, StringComparison.Ordinal)))
            .Distinct()
            .ToList();
    }

    /// <summary>The English phrases found in <paramref name="html"/>'s text (tags dropped, entities decoded).</summary>
    public static IReadOnlyList<string> In(string html, string culture)
    {
        var text = WhiteSpace().Replace(WebUtility.HtmlDecode(Tag().Replace(html, " ")), " ");
        return Differing(culture).Where(p => text.Contains(p, StringComparison.Ordinal)).ToList();
    }

    [GeneratedRegex(@"\{\d+(?::[^}]*)?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("<(script|style)[^>]*>.*?</\\1>|<[^>]+>", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
