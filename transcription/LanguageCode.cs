using System.Text.RegularExpressions;

namespace CallReview.Transcription;

/// <summary>A transcription language: "auto" or an ISO 639-1/2 code as whisper knows them.</summary>
public static partial class LanguageCode
{
    public const string Auto = "auto";

    [GeneratedRegex("^[a-z]{2,3}$")]
    private static partial Regex Code();

    /// <summary>Lower-cased code, "auto" for empty; null when it is not a language code at all.</summary>
    public static string? Normalize(string? value)
    {
        var v = value?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(v) || v == Auto)
            return Auto;
        return Code().IsMatch(v) ? v : null;
    }
}
