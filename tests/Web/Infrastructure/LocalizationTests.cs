using System.Globalization;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallReview.Tests.Web.Infrastructure;

public sealed class LocalizationTests
{
    private static readonly IStringLocalizer Localizer = new Localization.CachedStringLocalizerFactory(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance)).Create(typeof(Text));

    [Fact]
    public void CachedLocalizer_SameKeyInTwoCultures_AnswersEachInItsOwn_WithArgumentsFilledIn()
    {
        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            string In(string culture, Func<LocalizedString> read) => Read(culture, read).Value;

            LocalizedString Read(string culture, Func<LocalizedString> read)
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
                return read();
            }

            Assert.Equal("Sign in", In("en", () => Localizer["Sign in"]));
            Assert.Equal("Autentificare", In("ro", () => Localizer["Sign in"]));
            Assert.Equal("Sign in", In("en", () => Localizer["Sign in"]));
            Assert.Equal("Autentificare", In("ro", () => Localizer["Sign in"]));
            Assert.Equal("Show 25 more (1,234 not shown)", In("en", () => Localizer["Show {0} more ({1} not shown)", 25, 1234.ToString("N0")]));
            Assert.NotEqual(In("en", () => Localizer["Show {0} more ({1} not shown)", 25, 7]), In("ro", () => Localizer["Show {0} more ({1} not shown)", 25, 7]));
            var missing = Read("ro", () => Localizer["no such key {0}", 3]);
            Assert.True(missing.ResourceNotFound);
            Assert.Equal("no such key 3", missing.Value);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = before;
        }
    }
}
