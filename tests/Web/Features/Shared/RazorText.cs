using System.Text;
using System.Text.RegularExpressions;

namespace CallReview.Tests.Web.Features.Shared;

/// <summary>
/// Finds the text of a Razor view that a person reads and that does not go through the localizer <c>L</c>: markup
/// text, the attributes people read (title, placeholder, aria-label…), and C# string literals that look like
/// words for people. A small reader of Razor's own shapes (<c>@{ }</c>, <c>@if/@foreach … { }</c>,
/// <c>@( )</c>, <c>@Model.X</c>, markup inside code), not a full parser: enough for this project's views.
/// </summary>
public static partial class RazorText
{
    public sealed record Finding(int Line, string Where, string Text)
    {
        public override string ToString() => $"line {Line} ({Where}): {Text}";
    }

    /// <summary>Attributes whose values people read or hear.</summary>
    private static readonly HashSet<string> ReadAttributes =
        ["title", "placeholder", "aria-label", "aria-description", "alt", "label", "data-label", "hx-confirm", "data-confirm"];

    private static readonly HashSet<string> VoidElements =
        ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

    /// <summary>The layout's sections: names in code, not text.</summary>
    private static readonly HashSet<string> SectionNames = ["Head", "Scripts"];

    private static readonly string[] Keywords = ["if", "foreach", "for", "while", "switch", "try", "lock"];

    public static IReadOnlyList<Finding> Unlocalized(string razor, IReadOnlySet<string> allowedWords)
    {
        var reader = new Reader(razor, allowedWords);
        reader.Markup(untilTag: null);
        return reader.Findings;
    }

    [GeneratedRegex(@"&#?\w+;")]
    private static partial Regex Entity();

    [GeneratedRegex(@"\p{L}[\p{L}'’]+")]
    private static partial Regex Word();

    private sealed class Reader(string s, IReadOnlySet<string> allowed)
    {
        private int _i;
        public List<Finding> Findings { get; } = [];

        private int LineAt(int at) => s.AsSpan(0, Math.Min(at, s.Length)).Count('\n') + 1;

        private bool At(string text) => string.CompareOrdinal(s, _i, text, 0, text.Length) == 0;

        private void CheckText(string text, int at, string where)
        {
            text = Entity().Replace(text, " ");
            var words = Word().Matches(text).Select(m => m.Value).Where(w => !allowed.Contains(w)).ToList();
            if (words.Count > 0)
                Findings.Add(new Finding(LineAt(at), where, text.Trim()));
        }

        /// <summary>Markup until the end (null) or until the element opened before returns to depth 0.</summary>
        public void Markup(string? untilTag, bool singleLine = false)
        {
            var depth = untilTag is null ? 0 : 1;
            var text = new StringBuilder();
            var textStart = _i;
            void Flush()
            {
                if (text.Length > 0)
                    CheckText(text.ToString(), textStart, "text");
                text.Clear();
                textStart = _i;
            }
            while (_i < s.Length)
            {
                if (singleLine && s[_i] == '\n')
                {
                    Flush();
                    return;
                }
                if (At("@*"))
                {
                    Flush();
                    var end = s.IndexOf("*@", _i + 2, StringComparison.Ordinal);
                    _i = end < 0 ? s.Length : end + 2;
                }
                else if (At("@@"))
                {
                    text.Append('@');
                    _i += 2;
                }
                else if (s[_i] == '@')
                {
                    Flush();
                    Transition();
                }
                else if (s[_i] == '<' && _i + 1 < s.Length && (char.IsLetter(s[_i + 1]) || s[_i + 1] == '/' || s[_i + 1] == '!'))
                {
                    Flush();
                    var (name, closing, selfClosing) = Tag();
                    if (name is "script" or "style" && !closing && !selfClosing)
                    {
                        var end = s.IndexOf("</" + name, _i, StringComparison.OrdinalIgnoreCase);
                        _i = end < 0 ? s.Length : s.IndexOf('>', end) + 1;
                        continue;
                    }
                    if (untilTag is not null && name == untilTag)
                    {
                        depth += closing ? -1 : selfClosing ? 0 : 1;
                        if (depth == 0)
                            return;
                    }
                }
                else
                {
                    if (text.Length == 0)
                        textStart = _i;
                    text.Append(s[_i]);
                    _i++;
                }
            }
            Flush();
        }

        /// <summary>A tag: its name, and the attributes people read checked. Leaves the reader after its '&gt;'.</summary>
        private (string Name, bool Closing, bool SelfClosing) Tag()
        {
            if (At("<!--"))
            {
                var end = s.IndexOf("-->", _i, StringComparison.Ordinal);
                _i = end < 0 ? s.Length : end + 3;
                return ("!--", false, true);
            }
            _i++;
            var closing = s[_i] == '/';
            if (closing || s[_i] == '!')
                _i++;
            var start = _i;
            while (_i < s.Length && (char.IsLetterOrDigit(s[_i]) || s[_i] is '-' or ':'))
                _i++;
            var name = s[start.._i].ToLowerInvariant();
            while (_i < s.Length && s[_i] != '>')
            {
                if (At("/>"))
                {
                    _i += 2;
                    return (name, closing, true);
                }
                if (s[_i] == '@')
                {
                    Transition();
                    continue;
                }
                if (char.IsLetter(s[_i]))
                {
                    var attrStart = _i;
                    while (_i < s.Length && !char.IsWhiteSpace(s[_i]) && s[_i] is not ('=' or '>' or '/'))
                        _i++;
                    var attribute = s[attrStart.._i].ToLowerInvariant();
                    if (_i < s.Length && s[_i] == '=' && _i + 1 < s.Length && s[_i + 1] is '"' or '\'')
                    {
                        var quote = s[_i + 1];
                        _i += 2;
                        AttributeValue(quote, ReadAttributes.Contains(attribute) ? attribute : null);
                    }
                    continue;
                }
                _i++;
            }
            _i++;
            return (name, closing, VoidElements.Contains(name) || closing);
        }

        /// <summary>An attribute's quoted value: Razor in it read as code, its own text checked when people read it.</summary>
        private void AttributeValue(char quote, string? readBy)
        {
            var text = new StringBuilder();
            var start = _i;
            while (_i < s.Length && s[_i] != quote)
            {
                if (At("@@"))
                {
                    _i += 2;
                }
                else if (s[_i] == '@')
                {
                    Transition();
                }
                else
                {
                    text.Append(s[_i]);
                    _i++;
                }
            }
            _i++;
            if (readBy is not null)
                CheckText(text.ToString(), start, readBy);
        }

        /// <summary>After an '@' in markup: a code block, a keyword's statement, an explicit or implicit expression.</summary>
        private void Transition()
        {
            _i++;
            if (_i >= s.Length)
                return;
            if (s[_i] == '{')
            {
                Code(open: '{', close: '}');
                return;
            }
            if (s[_i] == '(')
            {
                Code(open: '(', close: ')');
                return;
            }
            if (s[_i] == ':')
            {
                _i++;
                Markup(null, singleLine: true);
                return;
            }
            var start = _i;
            if (AtLocalizer() is { } skip)
            {
                // The localizer's key, then whatever members follow it (.Value).
                _i += skip;
                SkipLocalizerKey();
            }
            while (_i < s.Length && (char.IsLetterOrDigit(s[_i]) || s[_i] == '_'))
                _i++;
            var word = s[start.._i];
            if (word == "await")
            {
                while (_i < s.Length && s[_i] == ' ')
                    _i++;
                while (_i < s.Length && (char.IsLetterOrDigit(s[_i]) || s[_i] == '_'))
                    _i++;
            }
            if (Keywords.Contains(word) || word is "section" or "functions" || (word == "using" && s.AsSpan(_i).TrimStart().StartsWith("(")))
            {
                Statement();
                return;
            }
            if (word is "model" or "inject" or "using" or "addTagHelper" or "page" or "inherits")
            {
                while (_i < s.Length && s[_i] != '\n')
                    _i++;
                return;
            }
            // An implicit expression: members, calls and indexers, with no spaces.
            while (_i < s.Length)
            {
                if (s[_i] == '(')
                    Code('(', ')');
                else if (s[_i] == '[')
                    Code('[', ']');
                else if ((s[_i] == '.' || At("?.")) && _i + 1 < s.Length && (char.IsLetter(s[_i + 1]) || s[_i + 1] == '.'))
                {
                    _i += s[_i] == '?' ? 2 : 1;
                    while (_i < s.Length && (char.IsLetterOrDigit(s[_i]) || s[_i] == '_'))
                        _i++;
                }
                else
                    break;
            }
        }

        /// <summary>A statement after its keyword: header up to its block, the block, then else/catch/finally blocks.</summary>
        private void Statement()
        {
            while (true)
            {
                while (_i < s.Length && s[_i] != '{')
                {
                    if (s[_i] == '(')
                        Code('(', ')');
                    else
                        _i++;
                }
                if (_i >= s.Length)
                    return;
                Code('{', '}');
                var after = _i;
                while (after < s.Length && char.IsWhiteSpace(s[after]))
                    after++;
                if (after >= s.Length)
                    return;
                if (string.CompareOrdinal(s, after, "else", 0, 4) == 0 || string.CompareOrdinal(s, after, "catch", 0, 5) == 0 ||
                    string.CompareOrdinal(s, after, "finally", 0, 7) == 0)
                {
                    _i = after;
                    continue;
                }
                return;
            }
        }

        /// <summary>C# from an opening bracket to its match: strings checked, markup inside read as markup.</summary>
        private void Code(char open, char close)
        {
            var depth = 0;
            var last = open;
            while (_i < s.Length)
            {
                var c = s[_i];
                if (At("//"))
                {
                    while (_i < s.Length && s[_i] != '\n')
                        _i++;
                    continue;
                }
                if (At("/*") || At("@*"))
                {
                    // A comment, C#'s or Razor's: its apostrophes ("the call's") are not character literals.
                    var end = s.IndexOf(s[_i] == '@' ? "*@" : "*/", _i + 2, StringComparison.Ordinal);
                    _i = end < 0 ? s.Length : end + 2;
                    continue;
                }
                if (AtLocalizer() is { } skip && (_i == 0 || !char.IsLetterOrDigit(s[_i - 1])))
                {
                    // The localizer: its key is in the resources (another test says so), its arguments are code.
                    _i += skip;
                    SkipLocalizerKey();
                    last = 'L';
                    continue;
                }
                if (c == '"' || At("$\"") || At("@\"") || At("$@\"") || At("@$\""))
                {
                    var before = last;
                    var literal = StringLiteral();
                    if (before != '[' && LooksLikeWords(literal))
                        Findings.Add(new Finding(LineAt(_i), "code", literal));
                    last = '"';
                    continue;
                }
                if (c == '\'')
                {
                    _i++;
                    while (_i < s.Length && s[_i] != '\'')
                        _i += s[_i] == '\\' ? 2 : 1;
                    _i++;
                    continue;
                }
                if (At("@:"))
                {
                    _i += 2;
                    Markup(null, singleLine: true);
                    last = ';';
                    continue;
                }
                if (c == '<' && last is '{' or '}' or ';' && _i + 1 < s.Length && char.IsLetter(s[_i + 1]))
                {
                    var (name, _, selfClosing) = Tag();
                    if (!selfClosing)
                        Markup(name);
                    last = '}';
                    continue;
                }
                if (c == '@' && _i + 1 < s.Length && char.IsLetter(s[_i + 1]))
                {
                    // '@' in code before a keyword-looking identifier (an escaped name) is still code.
                    _i++;
                    continue;
                }
                _i++;
                if (c == open)
                    depth++;
                else if (c == close && --depth == 0)
                    return;
                if (!char.IsWhiteSpace(c))
                    last = c;
            }
        }

        /// <summary>How far <c>L[</c>, <c>L.Plural(</c> or <c>L.Forms(</c> is from its bracket; null elsewhere.</summary>
        private int? AtLocalizer() => At("L[") ? 1 : At("L.Plural(") ? 8 : At("L.Forms(") ? 7 : null;

        /// <summary>At the '[' of <c>L[…]</c> (or '(' of <c>L.Plural(…)</c>): its key, then its arguments (code, checked) up to the matching bracket.</summary>
        private void SkipLocalizerKey()
        {
            var (open, close) = s[_i] == '(' ? ('(', ')') : ('[', ']');
            _i++;
            var depth = 1;
            var key = true;
            while (_i < s.Length && depth > 0)
            {
                if (!key && AtLocalizer() is { } skip && !char.IsLetterOrDigit(s[_i - 1]))
                {
                    // A count said by the localizer inside another's arguments.
                    _i += skip;
                    SkipLocalizerKey();
                    continue;
                }
                if (s[_i] == '"')
                {
                    var literal = StringLiteral();
                    if (!key && LooksLikeWords(literal))
                        Findings.Add(new Finding(LineAt(_i), "code", literal));
                    key = false;
                    continue;
                }
                if (!char.IsWhiteSpace(s[_i]))
                    key = false;
                if (s[_i] == open)
                    depth++;
                else if (s[_i] == close)
                    depth--;
                _i++;
            }
        }

        /// <summary>A C# string literal's text (interpolation holes left out); leaves the reader after it.</summary>
        private string StringLiteral()
        {
            var verbatim = false;
            var interpolated = false;
            while (s[_i] != '"')
            {
                verbatim |= s[_i] == '@';
                interpolated |= s[_i] == '$';
                _i++;
            }
            _i++;
            var text = new StringBuilder();
            while (_i < s.Length)
            {
                var c = s[_i];
                if (!verbatim && c == '\\')
                {
                    _i += 2;
                    continue;
                }
                if (c == '"')
                {
                    if (verbatim && _i + 1 < s.Length && s[_i + 1] == '"')
                    {
                        _i += 2;
                        continue;
                    }
                    _i++;
                    break;
                }
                if (interpolated && c == '{')
                {
                    if (_i + 1 < s.Length && s[_i + 1] == '{')
                    {
                        _i += 2;
                        continue;
                    }
                    var depth = 0;
                    while (_i < s.Length)
                    {
                        if (s[_i] == '{')
                            depth++;
                        else if (s[_i] == '}' && --depth == 0)
                            break;
                        else if (s[_i] == '"')
                        {
                            StringLiteral();
                            continue;
                        }
                        _i++;
                    }
                    _i++;
                    text.Append(' ');
                    continue;
                }
                text.Append(c);
                _i++;
            }
            return text.ToString();
        }

        /// <summary>A string a person reads: words with a space between, or one capitalised word; not a class or a path.</summary>
        private bool LooksLikeWords(string literal)
        {
            var words = Word().Matches(literal).Select(m => m.Value).Where(w => !allowed.Contains(w)).ToList();
            if (words.Count == 0 || SectionNames.Contains(literal) || literal.StartsWith('/') || literal.StartsWith('_') || literal.StartsWith('#'))
                return false;
            if (Regex.IsMatch(literal, @"^\w+\["))
                return false; // a form field's name: Cites[{id}]
            return Regex.IsMatch(literal, @"\p{L}\s+\p{L}") || Regex.IsMatch(literal, @"^\s*\p{Lu}\p{Ll}+\b");
        }
    }
}
