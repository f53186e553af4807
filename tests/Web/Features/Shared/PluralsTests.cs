using System.Globalization;
using System.Net;
using CallReview.Tests.Web.Infrastructure;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Shared;

/// <summary>A count said with its noun takes the plural form its language's rules (CLDR) give the number.</summary>
public sealed class PluralsTests(SeedDemoTests.Demo demo) : IClassFixture<SeedDemoTests.Demo>
{
    private static readonly long[] Counts = [0, 1, 2, 3, 5, 11, 20, 21, 22, 101];

    [Theory]
    [InlineData("en", "other one other other other other other other other other")]
    [InlineData("it", "other one other other other other other other other other")]
    // Romanian: "20 de apeluri" from 20 on, but 101 is again "101 apeluri" (the last two digits are 1–19).
    [InlineData("ro", "few one few few few few other other other few")]
    [InlineData("cs", "other one few few other other other other other other")]
    // Serbian reads the last digits: 21 poziv, 22 poziva, 11 poziva.
    [InlineData("sr-Latn", "other one few few other other other one few one")]
    [InlineData("he", "other one two other other other other other other other")]
    public void Category_FollowsTheLanguagesRules(string culture, string expected)
    {
        Assert.Equal(expected, string.Join(" ", Counts.Select(n => Plurals.Category(culture, n))));
    }

    [Theory]
    [InlineData("ro", 20, "20 de apeluri")]
    [InlineData("ro", 101, "101 apeluri")]
    [InlineData("ro", 1, "1 apel")]
    [InlineData("cs", 3, "3 hovory")]
    [InlineData("cs", 5, "5 hovorů")]
    [InlineData("sr-Latn", 21, "21 poziv")]
    [InlineData("sr-Latn", 22, "22 poziva")]
    [InlineData("he", 2, "שתי שיחות")]
    [InlineData("it", 1, "1 chiamata")]
    [InlineData("en", 1, "1 call")]
    public void Plural_SaysTheCountWithTheRightForm(string culture, long n, string expected)
    {
        var text = demo.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Text>>();
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
            Assert.Equal(expected, text.Plural("{0} calls", n));
            Assert.Equal(expected, new Message("{0} calls", n).In(text));
        }
        finally
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = before;
        }
    }

    [Theory]
    [InlineData("en", 1, "1-day streak")]
    [InlineData("en", 7, "7-day streak")]
    [InlineData("ro", 1, "1 zi la rând")]
    [InlineData("ro", 5, "5 zile la rând")]
    [InlineData("ro", 20, "20 de zile la rând")]
    [InlineData("it", 1, "1 giorno di fila")]
    [InlineData("cs", 1, "1 den v řadě")]
    [InlineData("cs", 3, "3 dny v řadě")]
    [InlineData("cs", 5, "5 dní v řadě")]
    [InlineData("sr-Latn", 21, "21 dan zaredom")]
    [InlineData("sr-Latn", 11, "11 dana zaredom")]
    [InlineData("he", 1, "רצף של יום אחד")]
    [InlineData("he", 2, "רצף של יומיים")]
    [InlineData("he", 5, "רצף של 5 ימים")]
    public void Streak_SaysTheDaysWithTheRightForm(string culture, long n, string expected)
    {
        var text = demo.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Text>>();
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
            Assert.Equal(expected, text.Plural("{0}-day streak", n));
        }
        finally
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = before;
        }
    }

    /// <summary>A learner reading Romanian who pins too often is told the limit with "de" (20 and above).</summary>
    [Fact]
    public async Task TooManyPins_InRomanian_SaysTwentyWithDe()
    {
        var learner = (await demo.AsAsync(AccountsDemoSeeder.LearnerEmail)).Speaking("ro");
        var exercise = await demo.QuerySingleAsync<int>(
            """
            SELECT MIN(e.Id) FROM Exercise e WHERE e.Status = 'published' AND e.Kind = 'spot' AND EXISTS (SELECT 1 FROM ExerciseTeam et
            JOIN TeamMember tm ON tm.TeamId = et.TeamId JOIN UserAccount u ON u.Id = tm.UserId WHERE et.ExerciseId = e.Id AND u.Email = @email)
            """, new { email = AccountsDemoSeeder.LearnerEmail });
        var fields = new List<KeyValuePair<string, string>> { new("Critique", "Prea multe"), new("WouldHaveSaid", "Îmi pare rău.") };
        for (var i = 0; i < 21; i++)
        {
            fields.Add(new($"Pins[{i}].Side", "a"));
            fields.Add(new($"Pins[{i}].At", (i + 1).ToString(CultureInfo.InvariantCulture)));
            fields.Add(new($"Pins[{i}].Category", "empathy"));
        }

        var response = await learner.PostFormAsync($"/practice/exercises/{exercise}", fields, $"/practice/exercises/{exercise}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Cel mult 20 de marcaje.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Leaderboard_InRomanian_CountsThirtyDaysWithDe()
    {
        var learner = (await demo.AsAsync(AccountsDemoSeeder.LearnerEmail)).Speaking("ro");

        Assert.Contains("Puncte din ultimele 30 de zile", WebUtility.HtmlDecode(await learner.GetStringAsync("/practice/leaderboard")));
    }
}
