using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Shared;
using CallReview.Web.Features.Signals;
using CallReview.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace CallReview.Tests.Web.Features.Shared;

/// <summary>
/// The interface's words live in web/Features/Shared/Text*.resx: English (the keys) and one file per language.
/// A language missing a key, a view's English literal outside the localizer, or a key used but never written fail here.
/// </summary>
public sealed partial class TextResourcesTests
{
    private static readonly string Features = Path.Combine(RepoRoot.Path, "web", "Features");
    private static readonly string[] Cultures = ["ro", "it", "cs", "sr-Latn", "he"];

    /// <summary>Words that are the same in every language: names, units, symbols.</summary>
    private static readonly HashSet<string> SameInEveryLanguage =
        ["CallReview", "CSV", "API", "ms", "kappa", "κ", "n", "UTC", "Esc", "Hz"];

    private static Dictionary<string, string> Read(string culture) =>
        XDocument.Load(Path.Combine(Features, "Shared", culture == "" ? "Text.resx" : $"Text.{culture}.resx"))
            .Root!.Elements("data").ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);

    public static TheoryData<string> EveryCulture() => new(Cultures);

    [Theory, MemberData(nameof(EveryCulture))]
    public void EveryLanguage_HasEveryEnglishKey_WithTheSamePlaceholders(string culture)
    {
        var english = Read("").Where(e => !IsPluralForm(e.Key)).ToDictionary();
        var translated = Read(culture).Where(e => !IsPluralForm(e.Key)).ToDictionary();

        Assert.Empty(english.Keys.Except(translated.Keys).Select(k => $"missing in {culture}: {k}"));
        Assert.Empty(translated.Keys.Except(english.Keys).Select(k => $"not in English ({culture}): {k}"));
        Assert.Empty(translated.Where(t => string.IsNullOrWhiteSpace(t.Value)).Select(t => $"empty in {culture}: {t.Key}"));
        Assert.Empty(english.Keys.Where(k => !Placeholders(k).SetEquals(Placeholders(translated[k])))
            .Select(k => $"placeholders differ in {culture}: {k} → {translated[k]}"));
    }

    /// <summary>
    /// A count with its noun is written per plural form (<see cref="Plurals"/>): English one and other, each language
    /// exactly the forms its whole numbers take, each form with the figures of the key, but "one" and "two" may say
    /// their number in words ("שיחה אחת") and leave out {0}.
    /// </summary>
    [Theory, MemberData(nameof(EveryCultureAndEnglish))]
    public void EveryPluralKey_HasExactlyTheFormsOfTheLanguage_WithTheKeysPlaceholders(string culture)
    {
        var englishBases = Read("").Keys.Where(IsPluralForm).Select(Base).ToHashSet();
        var forms = Read(culture).Where(e => IsPluralForm(e.Key)).GroupBy(e => Base(e.Key)).ToDictionary(g => g.Key, g => g.ToDictionary(e => e.Key[(e.Key.LastIndexOf('|') + 1)..], e => e.Value));
        var expected = Plurals.Categories(culture == "" ? "en" : culture);
        var findings = new List<string>();
        foreach (var key in englishBases.Union(forms.Keys))
        {
            var written = forms.GetValueOrDefault(key) ?? [];
            if (!written.Keys.Order().SequenceEqual(expected.Order()))
                findings.Add($"{culture}: {key} has forms [{string.Join(", ", written.Keys)}], not [{string.Join(", ", expected)}]");
            foreach (var (category, text) in written)
            {
                var wanted = Placeholders(key);
                if (category is Plurals.One or Plurals.Two)
                    wanted.Remove("{0}");
                if (!Placeholders(text).Except(["{0}"]).ToHashSet().SetEquals(wanted.Except(["{0}"])) || (category is not (Plurals.One or Plurals.Two) && !text.Contains("{0}", StringComparison.Ordinal)))
                    findings.Add($"{culture}: placeholders differ in {key}|{category} → {text}");
                if (string.IsNullOrWhiteSpace(text))
                    findings.Add($"{culture}: empty {key}|{category}");
            }
        }

        Assert.Empty(findings);
    }

    public static TheoryData<string> EveryCultureAndEnglish() => new(["", .. Cultures]);

    private static bool IsPluralForm(string key) => key.LastIndexOf('|') is var bar and > 0 && key[(bar + 1)..] is Plurals.One or Plurals.Two or Plurals.Few or Plurals.Other;

    private static string Base(string key) => key[..key.LastIndexOf('|')];

    [Fact]
    public void Keys_DifferMoreThanInCase()
    {
        // The resource compiler keeps one of two names that differ only in case: the other's translation is lost.
        Assert.Empty(Read("").Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g)));
    }

    [Fact]
    public void EveryKeyTheCodeAsksFor_IsInEnglish()
    {
        var english = Read("");
        var asked = Directory.EnumerateFiles(Features, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(f => LocalizerKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetRelativePath(Features, f), Key: Regex.Unescape(m.Groups[1].Value), Plural: m.Groups["plural"].Success)))
            .Where(k => k.Plural ? !english.ContainsKey(Plurals.Key(k.Key, Plurals.Other)) : !english.ContainsKey(k.Key))
            .Select(k => $"{k.File}: {k.Key}");

        Assert.Empty(asked);
    }

    /// <summary>
    /// Words that code builds for people (refusals, notices, the arithmetic and history lines, audio refusals) are
    /// English keys with their figures apart (<c>new Message("{0} calls", n)</c>): each literal handed to one of them is
    /// in the resources, and none is interpolated, since no translation could match a sentence with its figures baked in.
    /// </summary>
    [Fact]
    public void EveryMessageTheCodeBuilds_IsAKey_WithItsFiguresApart()
    {
        var english = Read("");
        var files = Directory.EnumerateFiles(Features, "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(RepoRoot.Path, "transcription", "Audio"), "*.cs"));
        var findings = new List<string>();
        foreach (var file in files)
        {
            var code = File.ReadAllText(file);
            var name = Path.GetRelativePath(RepoRoot.Path, file);
            foreach (Match sink in MessageSink().Matches(code))
            {
                var (literals, interpolated) = StatementLiterals(code, sink.Index + sink.Length);
                if (interpolated)
                    findings.Add($"{name}: interpolated text in {sink.Value.Trim()}…");
                findings.AddRange(literals
                    .Where(l => l.Any(char.IsLetter) && (l.Contains(' ') || l.EndsWith('.')) && !english.ContainsKey(l) && !english.ContainsKey(Plurals.Key(l, Plurals.Other)))
                    .Select(l => $"{name}: not in English: {l}"));
            }
            if (code.Contains("TempData[\"Flash\"]", StringComparison.Ordinal))
                findings.Add($"{name}: a notice set past Flashes (this.Flash)");
        }

        Assert.Empty(findings);
    }

    /// <summary>
    /// A refusal names its field ("The {0} field is required.", "The value 'x' is not valid for {1}."): every field of a
    /// form an action takes that can be refused (a validation attribute, or a number or date that may not parse) has its
    /// name as a key, its Display name or its name in words (<see cref="Localization.FieldName"/>).
    /// </summary>
    [Fact]
    public void EveryFieldARefusalNames_IsAKey()
    {
        var english = Read("");
        var actions = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(ControllerBase).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));
        var names = new List<(string Where, string Name)>();
        foreach (var parameter in actions.SelectMany(a => a.GetParameters()))
        {
            if (parameter.GetCustomAttribute<FromServicesAttribute>() is not null || parameter.Member.DeclaringType is not { } controller)
                continue;
            if (parameter.GetCustomAttributes<ValidationAttribute>().Any() && Typed(parameter.Name!))
                names.Add(($"{controller.Name}.{parameter.Member.Name}({parameter.Name})", FieldName(parameter)));
            foreach (var type in FormTypes(parameter.ParameterType))
                names.AddRange(type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.CanWrite && Typed(p.Name) && (p.GetCustomAttributes<ValidationAttribute>().Any() || MayNotParse(p.PropertyType)))
                    .Select(p => ($"{type.Name}.{p.Name}", FieldName(p))));
        }

        var missing = names.Where(n => !english.ContainsKey(n.Name)).Select(n => $"{n.Where}: {n.Name}").Distinct().Order().ToList();
        Assert.True(missing.Count == 0, "not in English:\n" + string.Join("\n", missing));
    }

    private static string FieldName(ICustomAttributeProvider member) =>
        member.GetCustomAttributes(typeof(DisplayAttribute), false).OfType<DisplayAttribute>().FirstOrDefault()?.Name
        ?? Localization.FieldName(member is PropertyInfo p ? p.Name : ((ParameterInfo)member).Name!);

    /// <summary>A form type of this app the parameter binds, and those its list properties hold.</summary>
    private static IEnumerable<Type> FormTypes(Type type)
    {
        var element = type.IsGenericType && type.GetGenericArguments() is [var item] ? item : type;
        if (element.Assembly != typeof(Program).Assembly || element.IsEnum || !element.IsClass)
            yield break;
        yield return element;
        foreach (var property in element.GetProperties().Where(p => p.PropertyType != element))
            foreach (var inner in FormTypes(property.PropertyType))
                yield return inner;
    }

    /// <summary>Ids and the page number come from links, hidden fields and lists, never typed: only a forged request gets them wrong.</summary>
    private static bool Typed(string name) => !name.EndsWith("Id", StringComparison.Ordinal) && name is not ("Page" or "page");

    private static bool MayNotParse(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) is var t && (t == typeof(int) || t == typeof(long) || t == typeof(double) || t == typeof(decimal)
            || t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(DateOnly) || t == typeof(TimeSpan));

    /// <summary>
    /// A controller's answer a person reads goes through the resources (a view, <c>this.Refuse(message)</c>, a notice):
    /// no English literal handed straight to a response. The API's controllers answer programs, in English (README).
    /// </summary>
    [Fact]
    public void Controllers_AnswerPeople_NeverWithALiteral()
    {
        var findings = Directory.EnumerateFiles(Features, "*Controller.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).Contains("Api", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}Api{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LiteralAnswer().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetRelativePath(Features, f)}: {m.Value}…"));

        Assert.Empty(findings);
    }

    [Fact]
    public void LiteralAnswer_FindsEnglishHandedToAResponse()
    {
        Assert.Equal(3, LiteralAnswer().Matches("""return BadRequest("Unknown model."); Content($"{n} calls"); Problem(title: "Refused", statusCode: 409); View("Error", text);""").Count);
    }

    [Fact]
    public void SignalRules_NamesAndSources_AreKeys()
    {
        var english = Read("");
        Assert.Empty(SignalRule.All.SelectMany(r => new[] { r.Name, r.Measure, r.Source }).Where(t => !english.ContainsKey(t)).Select(t => $"not in English: {t}"));
    }

    [Fact]
    public void AuditActions_EachHasALabel_ThatIsAKey()
    {
        var english = Read("");
        var actions = typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Empty(actions.Where(a => !AuditActions.Labels.ContainsKey(a)).Select(a => $"no label: {a}"));
        Assert.Empty(AuditActions.Labels.Values.Where(l => !english.ContainsKey(l)).Select(l => $"not in English: {l}"));
    }

    [Fact]
    public void AuditResourceTypes_EachHasALabel_ThatIsAKey()
    {
        var english = Read("");
        var types = Directory.EnumerateFiles(Features, "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => AuditedResourceType().Matches(File.ReadAllText(f)).Select(m => m.Groups["type"].Value)).ToHashSet();

        Assert.Contains("UserAccount", types);
        Assert.Empty(types.Where(t => !AuditActions.ResourceLabels.ContainsKey(t)).Select(t => $"no label: {t}"));
        Assert.Empty(AuditActions.ResourceLabels.Values.Where(l => !english.ContainsKey(l)).Select(l => $"not in English: {l}"));
    }

    /// <summary>The resource type a recording names after its action: <c>AuditActions.SignIn, "UserAccount"</c>.</summary>
    [GeneratedRegex("""AuditActions\.\w+,\s*(?:"(?<type>\w+)"|nameof\((?<type>\w+)\))""")]
    private static partial Regex AuditedResourceType();

    /// <summary>The plain string literals of the statement from <paramref name="start"/> to its <c>;</c>, and whether it interpolates one.</summary>
    private static (List<string> Literals, bool Interpolated) StatementLiterals(string code, int start)
    {
        var literals = new List<string>();
        var interpolated = false;
        for (var i = start; i < code.Length && code[i] != ';'; i++)
        {
            if (code[i] != '"')
                continue;
            interpolated |= code[i - 1] == '$';
            var end = i + 1;
            while (code[end] != '"')
                end += code[end] == '\\' ? 2 : 1;
            literals.Add(Regex.Unescape(code[(i + 1)..end]));
            i = end;
        }
        return (literals, interpolated);
    }

    public static TheoryData<string> EveryView() => new(Directory
        .EnumerateFiles(Features, "*.cshtml", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Features, f).Replace('\\', '/'))
        .Order(StringComparer.Ordinal));

    [Theory, MemberData(nameof(EveryView))]
    public void View_HasNoEnglishOutsideTheLocalizer(string view)
    {
        Assert.Empty(RazorText.Unlocalized(File.ReadAllText(Path.Combine(Features, view)), SameInEveryLanguage));
    }

    [Fact]
    public void Reader_FindsEnglishInTextAttributesAndCode_NotInTheLocalizer()
    {
        const string view = """
            @{ ViewData["Title"] = "Sign in"; var ok = L["Fine here"]; }
            <h1 class="big">Hello @Model.Name</h1>
            <button title="Jump there" class="x">@L["Pin"]</button>
            @if (Model.Ok)
            {
                <p>@(Model.Kind == "a" ? "Agent" : L["Customer"])</p>
                @:<text>Plain words</text>
            }
            <input placeholder="@L["Search"]" />
            <span>@TimeText.Format(3) · 12 ms</span>
            """;

        var findings = RazorText.Unlocalized(view, SameInEveryLanguage).Select(f => f.Text).ToList();

        Assert.Equal(["Sign in", "Hello", "Jump there", "Agent", "Plain words"], findings);
    }

    [Fact]
    public void Reader_SkipsARazorCommentInCode()
    {
        const string view = """
            @if (Model.Ok)
            {
                @* The call's own words *@
                <p>@L["Fine here"]</p>
                <p>Plain words</p>
            }
            """;

        Assert.Equal(["Plain words"], RazorText.Unlocalized(view, SameInEveryLanguage).Select(f => f.Text));
    }

    private static HashSet<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Value).ToHashSet();

    /// <summary>Where code hands words to a person: a message, a notice, a refusal (a handler's, an upload's, an attribute's).</summary>
    [GeneratedRegex(@"new Message\(|this\.Flash\(|this\.Refuse\(|Outcome\.Invalid\(|\berrors\[[^\]]+\]\s*=|\bAdd\((?:nameof\([^)]*\)|""[^""]*""),|MetadataRejectedException\(|AudioRejectedException\(|ErrorMessage = ")]
    private static partial Regex MessageSink();

    [GeneratedRegex(@"\{\d+(:[^}]*)?\}")]
    private static partial Regex Placeholder();

    /// <summary>A literal (plain or interpolated) as a response's body or problem text.</summary>
    [GeneratedRegex(@"\b(?:BadRequest|Content|NotFound|Conflict|Ok|UnprocessableEntity|Unauthorized|StatusCode)\((?:\d+,\s*)?\$?@?""|\bProblem\([^;]*?\b(?:title|detail):\s*\$?@?""")]
    private static partial Regex LiteralAnswer();

    /// <summary><c>L["key"</c> in a view, <c>Text["key"</c> in code, or a plural key: <c>L.Plural("key"</c>, <c>L.Forms("key"</c>.</summary>
    [GeneratedRegex("""\b(?:L|text|Text)(?:\[|(?<plural>\.(?:Plural|Forms)\())\s*"((?:[^"\\]|\\.)*)"\s*[,\])]""")]
    private static partial Regex LocalizerKey();
}
