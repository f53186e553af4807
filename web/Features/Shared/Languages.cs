using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Primitives;

namespace CallReview.Web.Features.Shared;

/// <summary>
/// The interface languages and how a request gets one: the user's choice (a claim of the sign-in cookie, from
/// their profile), else the browser's Accept-Language, else the installation's (<c>CallReview:Language</c>).
/// </summary>
public static class Languages
{
    public const string Claim = "lang";

    /// <summary>Culture names with the name each language has for itself, in the order the picker lists them.</summary>
    public static readonly IReadOnlyList<(string Culture, string Name)> All =
    [
        ("en", "English"),
        ("ro", "Română"),
        ("it", "Italiano"),
        ("cs", "Čeština"),
        ("sr-Latn", "Srpski (latinica)"),
        ("he", "עברית"),
    ];

    /// <summary>The supported culture name as spelled in <see cref="All"/>, or null.</summary>
    public static string? Normalize(string? culture) =>
        All.FirstOrDefault(l => l.Culture.Equals(culture, StringComparison.OrdinalIgnoreCase)).Culture;

    public static string NameOf(string? culture) =>
        All.FirstOrDefault(l => l.Culture.Equals(culture, StringComparison.OrdinalIgnoreCase)).Name ?? culture ?? "";

    /// <summary>A spoken language's name in its own words ("română") for the code whisper gives ("ro"); the code when unknown.</summary>
    public static string Spoken(string code)
    {
        try
        {
            var culture = CultureInfo.GetCultureInfo(code);
            return culture.NativeName is { Length: > 0 } name && !Equals(culture, CultureInfo.InvariantCulture) ? name : code;
        }
        catch (CultureNotFoundException)
        {
            return code;
        }
    }

    public static bool IsRightToLeft(CultureInfo culture) => culture.TextInfo.IsRightToLeft;

    public static RequestLocalizationOptions Options(string installationDefault)
    {
        var cultures = All.Select(l => new CultureInfo(l.Culture)).ToList();
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(Normalize(installationDefault) ?? "en"),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            FallBackToParentCultures = true,
            FallBackToParentUICultures = true,
        };
        options.RequestCultureProviders =
        [
            new CustomRequestCultureProvider(http =>
                Task.FromResult(http.User.FindFirstValue(Claim) is { Length: > 0 } chosen ? new ProviderCultureResult(chosen) : null)),
            new AcceptLanguage(),
        ];
        return options;
    }

    /// <summary>
    /// The browser's languages, with any Serbian (sr, sr-RS, sr-Cyrl-…) read as the Serbian we have, Latin: "sr"
    /// alone is neither sr-Latn nor its parent, so the browser's Serbian would otherwise fall through to English.
    /// </summary>
    private sealed class AcceptLanguage : AcceptLanguageHeaderRequestCultureProvider
    {
        public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext) =>
            await base.DetermineProviderCultureResult(httpContext) is { } result
                ? new ProviderCultureResult(result.Cultures.Select(Serbian).ToList(), result.UICultures.Select(Serbian).ToList())
                : null;

        private static StringSegment Serbian(StringSegment culture) =>
            culture.Equals("sr", StringComparison.OrdinalIgnoreCase) || culture.StartsWith("sr-", StringComparison.OrdinalIgnoreCase) ? "sr-Latn" : culture;
    }
}
