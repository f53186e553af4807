using System.Globalization;
using CallReview.Web.Features.Shared;

namespace CallReview.Tests.Web.Features.Shared;

/// <summary>Times for people in the reader's culture: its decimal separator and date pattern; English keeps yyyy-MM-dd.</summary>
public sealed class TimeTextTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 14, 5, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("en", "0:03.4", "2026-11-30", "2026-11-30 14:05 UTC")]
    [InlineData("ro", "0:03,4", "30.11.2026", "30.11.2026 14:05 UTC")]
    [InlineData("cs", "0:03,4", "30.11.2026", "30.11.2026 14:05 UTC")]
    [InlineData("he", "0:03.4", "30.11.2026", "30.11.2026 14:05 UTC")]
    public void Formats_FollowTheCulture(string culture, string position, string day, string moment)
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo(culture);
        try
        {
            Assert.Equal((position, day, moment), (TimeText.Format(3456), TimeText.Day(Monday), TimeText.Moment(Monday)));
            Assert.Equal("1:05", TimeText.Duration(65_000));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}
