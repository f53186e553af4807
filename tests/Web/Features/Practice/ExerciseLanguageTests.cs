using CallReview.Db;
using CallReview.Tests.Web.Features.Review;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Practice;

/// <summary>Exercises say the language their call is spoken in, and a learner can keep to one language in the library.</summary>
public sealed class ExerciseLanguageTests(LearningFixture app) : IClassFixture<LearningFixture>
{
    private static string Library(string html) => html[html.IndexOf("class=\"exercise-library\"", StringComparison.Ordinal)..];

    [Fact]
    public async Task Library_FilteredByLanguage_ShowsOnlyThatLanguagesExercises()
    {
        await using (var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE Exercise SET Language = 'ro' WHERE Id = @id", new { id = app.Spot });
            await connection.ExecuteAsync("UPDATE Exercise SET Language = 'it' WHERE Id = @id", new { id = app.Excerpt });
        }
        var leo = await app.As(ReviewFixture.Leo);

        var all = await leo.GetStringAsync("/practice");
        Assert.Contains("<option value=\"ro\" lang=\"ro\">română</option>", all);
        Assert.Contains($"href=\"/practice/exercises/{app.Excerpt}\"", Library(all));

        var romanian = Library(await leo.GetStringAsync("/practice?language=ro"));
        Assert.Contains($"href=\"/practice/exercises/{app.Spot}\"", romanian);
        Assert.Contains("<span class=\"tag\" lang=\"ro\">română</span>", romanian);
        Assert.DoesNotContain($"href=\"/practice/exercises/{app.Excerpt}\"", romanian);
    }
}
