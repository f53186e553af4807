using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CallReview.Tests.Web.Infrastructure;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Infrastructure;
using Xunit.Abstractions;

namespace CallReview.Tests.Web.Features.Shared;

/// <summary>
/// Every page each role reaches, in Romanian and in Hebrew, through real HTTP on the demo data: from the navigation and
/// each feature's main pages, following the links and htmx fragments found on the way (a few of each kind of page). The
/// text a person reads — text runs, and the placeholder, title, aria-label and alt attributes and the value of buttons —
/// must not be an English resource whose translation differs, nor a word of the UI's English that is in no resource.
/// The call's own words (transcript, quotes, notes, names) are data in the call's language and are left out.
/// </summary>
public sealed partial class LanguageSweepTests(SeedDemoTests.Demo demo, ITestOutputHelper output) : IClassFixture<SeedDemoTests.Demo>
{
    /// <summary>Where each role's journeys start: the navigation, then pages not linked from it (or only from a form).</summary>
    private static readonly string[] Starts =
    [
        "/", "/calls", "/calls/upload", "/review", "/review/search?q=refund", "/exercises", "/calibration", "/reviews/disputes", "/reviews/mine",
        "/trends", "/trends/me", "/practice", "/practice/leaderboard", "/account", "/account/password",
        "/admin/users", "/admin/teams", "/admin/apikeys", "/admin/categories", "/admin/rubric", "/admin/names", "/admin/signals",
        "/admin/retention", "/admin/requests", "/admin/requests?Reference=CUST-1", "/admin/audit", "/models",
    ];

    /// <summary>English the interface once wrote outside the resources: any of these alone on a page is a miss.</summary>
    private static readonly HashSet<string> EnglishWords =
    [
        "Yes", "No", "Save", "Cancel", "Delete", "Edit", "Submit", "Search", "Next", "Previous", "Back", "Close", "Open", "Loading…", "Loading...",
        "Agent", "Customer", "Unknown", "None", "never", "Never", "Error", "Failed", "Queued", "Running", "Done", "Cancelled", "Draft", "Published", "Sample",
    ];

    public static TheoryData<string, string> Journeys()
    {
        var data = new TheoryData<string, string>();
        foreach (var culture in new[] { "ro", "he" })
            foreach (var role in new[] { "admin", "supervisor", "reviewer", "learner" })
                data.Add(role, culture);
        return data;
    }

    [Theory, MemberData(nameof(Journeys))]
    public async Task EveryPage_ForRole_InLanguage_ShowsNoEnglish(string role, string culture)
    {
        var client = (role switch
        {
            "admin" => await demo.AdminAsync(),
            "supervisor" => await demo.AsAsync(AccountsDemoSeeder.SupervisorEmail),
            "reviewer" => await demo.AsAsync(AccountsDemoSeeder.ReviewerEmail),
            _ => await demo.AsAsync(AccountsDemoSeeder.LearnerEmail),
        }).Speaking(culture);
        var english = EnglishTexts(culture);
        var findings = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var perKind = new Dictionary<string, int>(StringComparer.Ordinal);
        var queue = new Queue<(string Url, bool Fragment)>(Starts.Select(s => (s, false)));
        var pages = 0;
        while (queue.Count > 0 && pages < 250)
        {
            var (url, fragment) = queue.Dequeue();
            if (!seen.Add(url) || (perKind[Kind(url)] = perKind.GetValueOrDefault(Kind(url)) + 1) > 2)
                continue;
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (fragment)
                request.Headers.Add("HX-Request", "true");
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html")
                continue;
            pages++;
            var html = await response.Content.ReadAsStringAsync();
            if (!fragment)
                Assert.Contains($"<html lang=\"{culture}\"", html);
            foreach (var run in Visible(html))
                if (english.TryGetValue(run, out var key) || Matching(english, run) is { } keyOf)
                    findings.Add($"{url}: \"{run}\" ({key ?? Matching(english, run)})");
            foreach (var (link, isFragment) in Links(html))
                queue.Enqueue((link, isFragment));
        }
        output.WriteLine($"{role} in {culture}: {pages} pages");

        Assert.True(pages > 10, $"only {pages} pages reached");
        Assert.True(findings.Count == 0, $"English on {role}'s pages in {culture}:\n" + string.Join("\n", findings));
    }

    [Fact]
    public void Visible_ReadsTextAndReadOutAttributes_NotScriptsNorTheCallsWords()
    {
        const string html = """
            <html><head><title>Apeluri</title><script>var x = "Save";</script></head>
            <body><h1>Apeluri</h1><input placeholder="Search" data-x="Delete"><button title="Close">Închide</button>
            <input type="submit" value="Submit"><div class="transcript"><p>Yes <b>No</b></p></div><p>Edit</p><img alt="Back"></body></html>
            """;

        Assert.Equal(["Apeluri", "Apeluri", "Search", "Close", "Închide", "Submit", "Edit", "Back"], Visible(html));
    }

    [Fact]
    public void EnglishTexts_CatchACountBuiltWithItsFigure()
    {
        var english = EnglishTexts("ro");

        Assert.NotNull(Matching(english, "3 calls"));
        Assert.Null(Matching(english, "3 apeluri"));
    }

    /// <summary>English resource values whose translation reads differently, with the key to report.</summary>
    private static Dictionary<string, string> EnglishTexts(string culture)
    {
        var translated = EnglishPhrases.Read(culture);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in EnglishPhrases.Read(""))
            if (translated.TryGetValue(key, out var t) && t != value && value.Any(char.IsLetter))
                texts.TryAdd(value.Trim(), key);
        foreach (var word in EnglishWords.Where(w => !translated.ContainsValue(w)))
            texts.TryAdd(word, "English word");
        return texts;
    }

    private static readonly Dictionary<string, List<(Regex Pattern, string Key)>> Patterns = new();

    /// <summary>The key of an English text with figures (<c>{0} calls</c>) that <paramref name="run"/> is, figures filled in.</summary>
    private static string? Matching(Dictionary<string, string> english, string run)
    {
        List<(Regex, string)> patterns;
        lock (Patterns)
        {
            var id = string.Join("", english.Count, english.Keys.FirstOrDefault());
            if (!Patterns.TryGetValue(id, out patterns!))
                Patterns[id] = patterns = english
                    .Where(e => Placeholder().IsMatch(e.Key) && Placeholder().Split(e.Key).Sum(p => Word().Matches(p).Count) >= 1)
                    // A text of one word and figures ("{0} calls") is matched only with figures in its places: "{0} by {1}"
                    // would otherwise take any sentence of the call's with "by" in it.
                    .Select(e => (new Regex("^" + string.Join(Placeholder().Split(e.Key).Sum(p => Word().Matches(p).Count) >= 2 ? "(.+?)" : @"([\d\s.,:%+−-]+)",
                        Placeholder().Split(e.Key).Select(Regex.Escape)) + "$", RegexOptions.Singleline), e.Value))
                    .ToList();
        }
        return patterns.FirstOrDefault(p => p.Item1.IsMatch(run)).Item2;
    }

    /// <summary>A page's kind: its path with ids and query values taken out, so a few of each kind are read.</summary>
    private static string Kind(string url) => Number().Replace(url, "{n}") is var path && path.IndexOf('?') is var q and >= 0
        ? path[..q] + "?" + string.Join("&", path[(q + 1)..].Split('&').Select(p => p.Split('=')[0]).Order())
        : path;

    /// <summary>The app's GET links and htmx fragments on a page; downloads, media and the API left out.</summary>
    private static IEnumerable<(string Url, bool Fragment)> Links(string html)
    {
        foreach (Match m in Link().Matches(html))
        {
            var url = WebUtility.HtmlDecode(m.Groups["url"].Value);
            var hash = url.IndexOf('#');
            if (hash >= 0)
                url = url[..hash];
            if (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !Skipped().IsMatch(url))
                yield return (url, m.Groups["attr"].Value == "hx-get");
        }
    }

    /// <summary>The text a person reads, run by run: text between tags, and read-out attributes.</summary>
    internal static List<string> Visible(string html)
    {
        var runs = new List<string>();
        var open = new List<(string Name, bool Data)>();
        var at = 0;
        foreach (Match tag in Tag().Matches(html))
        {
            if (tag.Index < at)
                continue;
            if (!open.Any(o => o.Data))
                AddRun(runs, html[at..tag.Index]);
            at = tag.Index + tag.Length;
            var name = tag.Groups["name"].Value.ToLowerInvariant();
            if (tag.Groups["close"].Success)
            {
                var i = open.FindLastIndex(o => o.Name == name);
                if (i >= 0)
                    open.RemoveRange(i, open.Count - i);
                continue;
            }
            if (name is "script" or "style" or "textarea" or "template")
            {
                var end = html.IndexOf($"</{name}", at, StringComparison.OrdinalIgnoreCase);
                at = end < 0 ? html.Length : end;
                continue;
            }
            var attributes = tag.Groups["attrs"].Value;
            var data = open.Any(o => o.Data) || name is "blockquote" or "bdi" || CallsWords().IsMatch(attributes);
            if (!data)
                foreach (Match a in Attribute().Matches(attributes))
                {
                    var attribute = a.Groups["name"].Value.ToLowerInvariant();
                    if (attribute is "placeholder" or "title" or "aria-label" or "alt"
                        || (attribute == "value" && name == "input" && SubmitType().IsMatch(attributes)))
                        AddRun(runs, a.Groups["value"].Value);
                }
            if (!Void.Contains(name) && !tag.Value.EndsWith("/>", StringComparison.Ordinal))
                open.Add((name, data));
        }
        AddRun(runs, html[at..]);
        return runs;
    }

    private static void AddRun(List<string> runs, string text)
    {
        var run = WhiteSpace().Replace(WebUtility.HtmlDecode(text), " ").Trim().Trim('·', '—', '–', '|', ':', ',', '(', ')', ' ');
        if (run.Any(char.IsLetter))
            runs.Add(run);
    }

    private static readonly HashSet<string> Void = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "!doctype"];

    [GeneratedRegex(@"<(?<close>/)?(?<name>[A-Za-z!][A-Za-z0-9-]*)(?<attrs>(?:[^>""']|""[^""]*""|'[^']*')*)>", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex(@"(?<name>[A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:""(?<value>[^""]*)""|'(?<value>[^']*)')")]
    private static partial Regex Attribute();

    [GeneratedRegex(@"type\s*=\s*[""']?(?:submit|button|reset)", RegexOptions.IgnoreCase)]
    private static partial Regex SubmitType();

    /// <summary>Elements holding the call's words, people's writing or stored names (a call's tags; &lt;bdi&gt;), not the interface's.</summary>
    [GeneratedRegex(@"class\s*=\s*""[^""]*\b(?:transcript|turn-text|quote|expected|model-answer|post-body|critique|said)\b|\bdir\s*=\s*""auto""|\bname\s*=\s*""tag""")]
    private static partial Regex CallsWords();

    [GeneratedRegex(@"(?<attr>href|hx-get)\s*=\s*""(?<url>[^""]+)""")]
    private static partial Regex Link();

    [GeneratedRegex(@"^/(?:api/|lib/|css/|js/|img/|healthz|favicon)|/(?:audio|peaks)\b|\.(?:csv|zip|json|wav|mp3|ogg|opus|png|ico)(?:\?|$)|/export\b|/logout\b")]
    private static partial Regex Skipped();

    [GeneratedRegex(@"\{\d+(?::[^}]*)?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\p{L}{2,}")]
    private static partial Regex Word();

    [GeneratedRegex(@"(?<=/|=)\d+")]
    private static partial Regex Number();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
