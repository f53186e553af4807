using System.Text;

namespace CallReview.Transcription;

/// <summary>
/// Word error rate after lower-casing and dropping punctuation, so "Americans," matches "americans"; or, for English,
/// after <see cref="EnglishWerNormalizer"/> (numbers in digits, contractions spelled out), as ASR evaluations count it.
/// </summary>
public static class WordErrorRate
{
    public static double Compute(string reference, string hypothesis) => Rate(Words(reference), Words(hypothesis));

    /// <summary>English text only: script and transcript normalised alike first, so "thirty" and "30" are one word.</summary>
    public static double ComputeNormalized(string reference, string hypothesis) =>
        Rate(NormalizedWords(reference), NormalizedWords(hypothesis));

    public static string[] NormalizedWords(string text) =>
        EnglishWerNormalizer.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static double Rate(string[] expected, string[] actual) =>
        expected.Length == 0 ? (actual.Length == 0 ? 0 : 1) : Errors(expected, actual) / (double)expected.Length;

    /// <summary>Words substituted, left out and added: what a rate over several texts pools (errors summed over words summed).</summary>
    public static int Errors(string[] expected, string[] actual)
    {
        // Levenshtein distance over words, one row at a time.
        var previous = Enumerable.Range(0, actual.Length + 1).ToArray();
        for (var i = 1; i <= expected.Length; i++)
        {
            var current = new int[actual.Length + 1];
            current[0] = i;
            for (var j = 1; j <= actual.Length; j++)
            {
                var substitution = previous[j - 1] + (expected[i - 1] == actual[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            previous = current;
        }
        return previous[actual.Length];
    }

    public static string[] Words(string text)
    {
        var kept = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
            kept.Append(char.IsLetterOrDigit(c) || c == '\'' ? c : ' ');
        return kept.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
