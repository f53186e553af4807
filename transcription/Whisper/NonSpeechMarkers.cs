using System.Text.RegularExpressions;

namespace CallReview.Transcription.Whisper;

/// <summary>
/// whisper writes what it hears that is not speech as text: "[BLANK_AUDIO]", "[MUSIC]", "(music)",
/// "(upbeat music)", "*sighs*", "♪". A transcript is what people said, so these are taken out.
/// </summary>
public static partial class NonSpeechMarkers
{
    [GeneratedRegex(@"\[[^\]]*\]|\([^)]*\)|\*[^*]+\*|[♪♫]+")]
    private static partial Regex Marker();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();

    /// <summary>The text without markers, trimmed; empty when nothing but markers (and punctuation) was left.</summary>
    public static string Remove(string text)
    {
        var kept = Spaces().Replace(Marker().Replace(text, " "), " ").Trim();
        return kept.Any(char.IsLetterOrDigit) ? kept : "";
    }
}
