using System.Globalization;
using Microsoft.Extensions.Localization;

namespace CallReview.Web.Features.Shared;

/// <summary>
/// Words for the reader that code builds (a refusal, a flash, a history line): the English text, which is the key of
/// its translation in <see cref="Text"/>, with its figures apart (<c>"{0} calls"</c>), so they are placed and
/// formatted in the reader's language when it is said rather than baked into English where it is made. A figure that
/// is itself a <see cref="Message"/> is said in the same language; any other (a name, a quote) is placed as it is. A key
/// written per plural form (<see cref="Plurals"/>) takes the form its first figure, the count, asks for.
/// </summary>
public sealed class Message(string text, params object?[] args)
{
    public string Text { get; } = text;

    public IReadOnlyList<object?> Args { get; } = args;

    public static implicit operator Message(string text) => new(text);

    /// <summary>In the request's language (figures in its culture).</summary>
    public string In(IStringLocalizer localizer)
    {
        if (Args.Count == 0)
            return localizer[Text];
        var key = Plurals.CountOf(Args[0]) is { } count && Plurals.IsPlural(localizer, Text) ? Plurals.FormOf(localizer, Text, count) : Text;
        return localizer[key, [.. Args.Select(a => a is Message m ? m.In(localizer) : a ?? "")]];
    }

    /// <summary>English, figures invariant: for logs, the audit trail and programs.</summary>
    public override string ToString() => Args.Count == 0 ? Text : string.Format(CultureInfo.InvariantCulture, Text, [.. Args]);
}
