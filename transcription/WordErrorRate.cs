using System.Text;

namespace CallReview.Transcription;

/// <summary>Word error rate after lower-casing and dropping punctuation, so "Americans," matches "americans".</summary>
public static class WordErrorRate
{
    public static double Compute(string reference, string hypothesis)
    {
        var expected = Words(reference);
        var actual = Words(hypothesis);
        if (expected.Length == 0)
            return actual.Length == 0 ? 0 : 1;

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
        return previous[actual.Length] / (double)expected.Length;
    }

    public static string[] Words(string text)
    {
        var kept = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
            kept.Append(char.IsLetterOrDigit(c) || c == '\'' ? c : ' ');
        return kept.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
