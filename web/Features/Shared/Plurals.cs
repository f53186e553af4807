using System.Globalization;
using Microsoft.Extensions.Localization;

namespace CallReview.Web.Features.Shared;

/// <summary>
/// A count said with its noun ("20 de apeluri", "3 hovory", "21 poziv"): the English "other" form is the key, and each
/// language writes one resource per plural category it has, <c>key|one</c>, <c>key|few</c>, <c>key|two</c>,
/// <c>key|other</c>. The category comes from CLDR's rules for whole numbers in the language of the text; the count is
/// always the first figure, <c>{0}</c>.
/// </summary>
public static class Plurals
{
    public const string One = "one", Two = "two", Few = "few", Other = "other";

    /// <summary>The categories a language's whole numbers fall into (CLDR; "many" there is for fractions only, never a count).</summary>
    public static IReadOnlyList<string> Categories(string language) => Base(language) switch
    {
        "ro" or "cs" or "sr" => [One, Few, Other],
        "he" => [One, Two, Other],
        _ => [One, Other],
    };

    /// <summary>CLDR's plural category of the whole number <paramref name="n"/> in <paramref name="language"/>.</summary>
    public static string Category(string language, long n)
    {
        var abs = Math.Abs(n);
        var last = abs % 10;
        var lastTwo = abs % 100;
        return Base(language) switch
        {
            // Romanian: 1; 0 and 2–19 after any hundred ("101 apeluri"); 20 and above take "de" ("20 de apeluri").
            "ro" => abs == 1 ? One : abs == 0 || lastTwo is >= 1 and <= 19 ? Few : Other,
            "cs" => abs == 1 ? One : abs is >= 2 and <= 4 ? Few : Other,
            // Serbian goes by the last digits: 21 poziv, 22 poziva, 25 poziva, but 11–14 are "other".
            "sr" => last == 1 && lastTwo != 11 ? One : last is >= 2 and <= 4 && lastTwo is not (>= 12 and <= 14) ? Few : Other,
            "he" => abs == 1 ? One : abs == 2 ? Two : Other,
            _ => abs == 1 ? One : Other,
        };
    }

    /// <summary>The resource name of one form of a plural key.</summary>
    public static string Key(string key, string category) => $"{key}|{category}";

    /// <summary>True when <paramref name="key"/> is written per plural form.</summary>
    public static bool IsPlural(IStringLocalizer localizer, string key) => !localizer[Key(key, Other)].ResourceNotFound;

    /// <summary>
    /// <paramref name="key"/> said for the count <paramref name="n"/> in the reader's language (its {0}), with any
    /// further figures as {1}, {2}…: <c>L.Plural("{0} calls", 20)</c> is "20 de apeluri" in Romanian.
    /// </summary>
    public static string Plural(this IStringLocalizer localizer, string key, long n, params object[] more) =>
        localizer[FormOf(localizer, key, n), [n, .. more]];

    /// <summary>
    /// Every form of <paramref name="key"/> in the reader's language as JSON (<c>{"one":"{0} call","other":"{0} calls"}</c>),
    /// for a script that counts in the browser: <c>callReview.plural(forms, n)</c> picks with the browser's own CLDR rules.
    /// </summary>
    public static string Forms(this IStringLocalizer localizer, string key) =>
        System.Text.Json.JsonSerializer.Serialize(Categories(CultureInfo.CurrentUICulture.Name).ToDictionary(c => c, c => localizer[FormOf(localizer, key, c)].Value));

    /// <summary>The resource name of the form <paramref name="n"/> takes, "other" when the language lacks that form.</summary>
    internal static string FormOf(IStringLocalizer localizer, string key, long n) => FormOf(localizer, key, Category(CultureInfo.CurrentUICulture.Name, n));

    private static string FormOf(IStringLocalizer localizer, string key, string category) =>
        localizer[Key(key, category)].ResourceNotFound ? Key(key, Other) : Key(key, category);

    /// <summary>A message's first figure as a whole count: a number, or its text as a notice keeps it; null otherwise.</summary>
    internal static long? CountOf(object? figure) => figure switch
    {
        int i => i,
        long l => l,
        short s => s,
        decimal d when d == decimal.Truncate(d) => (long)d,
        double d when d == Math.Truncate(d) && Math.Abs(d) < long.MaxValue => (long)d,
        string text when long.TryParse(text, NumberStyles.Integer, CultureInfo.CurrentCulture, out var parsed) => parsed,
        _ => null,
    };

    private static string Base(string language) => language.Split('-')[0].ToLowerInvariant();
}
