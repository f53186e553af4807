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
    public async Task NameForALanguageNotOffered_IsRefused()
    {
        var admin = await app.AdminAsync();

        var response = await admin.PostFormAsync("/admin/names", [new("Names[category:rude-tone:xx]", "Nope")], "/admin/names");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("A name was sent for a kind or language this page does not offer.", await response.Content.ReadAsStringAsync());
    }
}
