using System.Net;
using CallReview.Tests.Web.Features.Practice;

namespace CallReview.Tests.Web.Features.Review;

/// <summary>Need categories (and criteria, badges) carry a name per language; readers of another language see the stored name.</summary>
public sealed class ContentNamesTests(LearningFixture app) : IClassFixture<LearningFixture>
{
    [Fact]
    public async Task CategoryNamedInRomanian_RomanianLearnerSeesIt_OthersTheStoredName()
    {
        var admin = await app.AdminAsync();
        var page = await admin.GetStringAsync("/admin/names");
        Assert.Contains("name=\"Names[category:rude-tone:ro]\"", page);

        // The shipped Italian name taken away: an Italian reader falls back to the stored name.
        var saved = await admin.PostFormAsync("/admin/names",
            [new("Names[category:rude-tone:ro]", "Ton grosolan"), new("Names[category:rude-tone:it]", "")], "/admin/names");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var leo = await app.As(ReviewFixture.Leo);
        Assert.Contains(">Ton grosolan</option>", await PageAsync(leo, $"/practice/exercises/{app.Spot}", "ro"));
        Assert.Contains(">Nezdvořilý tón</option>", await PageAsync(leo, $"/practice/exercises/{app.Spot}", "cs"));
        Assert.Contains(">Rude tone</option>", await PageAsync(leo, $"/practice/exercises/{app.Spot}", "it"));
        // The admin's categories page edits the stored names, whatever the admin's language.
        Assert.DoesNotContain("Ton grosolan", await PageAsync(admin, "/admin/categories", "ro"));
    }

    internal static async Task<string> PageAsync(HttpClient client, string url, string language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptLanguage.ParseAdd(language);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task RomanianReaders_SeeEachCategoryByItsOwnName_OnAnnotationsBuilderPracticeQueueAndBadges()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var review = await PageAsync(rita, $"/review/{app.AnnotatedCall}", "ro");
        Assert.Contains("<strong>Lipsă de asumare / urmărire</strong>", review);
        Assert.Contains("<strong>Lipsă de empatie</strong>", review);
        Assert.Contains("data-label=\"Lipsă de empatie\"", review);
        Assert.Matches("name=\"Tags\" value=\"no-empathy\"[^>]*/> Lipsă de empatie</label>", await PageAsync(rita, $"/exercises/new?callId={app.AnnotatedCall}", "ro"));

        // Eve missed timeliness (due again) and mastered wrong information.
        var eveId = await app.UserIdAsync(LearningFixture.Eve);
        await app.QueryOneAsync<int>(
            """
            INSERT INTO PracticeSchedule (UserId, CategoryCode, Step, Hits, Misses, DueAt, UpdatedAt) VALUES (@eveId, 'timeliness', 0, 0, 1, @at, @at);
            INSERT INTO UserBadge (UserId, BadgeCode, Detail, AwardedAt) VALUES (@eveId, 'category-mastery', 'wrong-information', @at);
            SELECT 1
            """, new { eveId, at = DateTimeOffset.UtcNow.AddDays(-1) });
        var practice = await PageAsync(await app.As(LearningFixture.Eve), "/practice", "ro");
        Assert.Contains("<li>Promptitudine / așteptare lungă — ", practice);
        Assert.Contains(" · Informație greșită<small>", practice);
        Assert.DoesNotContain("wrong-information</li>", practice);
    }

    [Fact]
    public async Task BadgeDescription_HebrewLearnerReadsItInHebrew_AnAdminsDescriptionShows_AndAnEmptyOneFallsBackToTheStored()
    {
        var eve = await app.As(LearningFixture.Eve);
        var eveId = await app.UserIdAsync(LearningFixture.Eve);
        await app.QueryOneAsync<int>(
            """
            INSERT INTO UserBadge (UserId, BadgeCode, Detail, AwardedAt)
            SELECT @eveId, 'shared-story', '', @at WHERE NOT EXISTS (SELECT 1 FROM UserBadge WHERE UserId = @eveId AND BadgeCode = 'shared-story');
            SELECT 1
            """, new { eveId, at = DateTimeOffset.UtcNow.AddDays(-1) });

        var hebrew = await PageAsync(eve, "/practice", "he");
        Assert.Contains("<small>שיתפת בדיון איך טיפלת במצב.</small>", hebrew);
        Assert.DoesNotContain("Shared how you handled a situation in a discussion.", hebrew);

        // The admin names descriptions where they name badges; taking a language's away shows the stored one.
        var admin = await app.AdminAsync();
        Assert.Contains("name=\"Names[badge-desc:shared-story:he]\"", await admin.GetStringAsync("/admin/names"));
        var saved = await admin.PostFormAsync("/admin/names",
            [new("Names[badge-desc:shared-story:ro]", "Ai ajutat colegii cu o poveste."), new("Names[badge-desc:shared-story:it]", "")], "/admin/names");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("<small>Ai ajutat colegii cu o poveste.</small>", await PageAsync(eve, "/practice", "ro"));
        Assert.Contains("<small>Shared how you handled a situation in a discussion.</small>", await PageAsync(eve, "/practice", "it"));
    }

    [Fact]
    public async Task NewExercise_RomanianBuilder_IsProposedARomanianTitle()
    {
        var page = await PageAsync(await app.As(ReviewFixture.Rita), $"/exercises/new?callId={app.AnnotatedCall}", "ro");

        Assert.Contains("value=\"Găsește nevoia nesatisfăcută: „", page);
        Assert.DoesNotContain("Spot the unmet need", page);
    }

    [Fact]
    public async Task NameForALanguageNotOffered_IsRefused()
    {
        var admin = await app.AdminAsync();

        var response = await admin.PostFormAsync("/admin/names", [new("Names[category:rude-tone:xx]", "Nope")], "/admin/names");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("A name was sent for a kind or language this page does not offer.", await response.Content.ReadAsStringAsync());
    }
}
