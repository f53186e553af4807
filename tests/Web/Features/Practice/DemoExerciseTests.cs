using System.Text.RegularExpressions;
using CallReview.Db;
using CallReview.Web.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Practice;

/// <summary>The demo's exercises, built by <c>seed-demo</c> from the sample calls: learners read their titles and hints before answering.</summary>
public sealed class DemoExerciseTests
{
    private sealed class Row
    {
        public string Title { get; init; } = "";
        public string Hints { get; init; } = "";
        public string CallTitle { get; init; } = "";
    }

    [Fact]
    public async Task SeedDemo_ExerciseTitlesAndHints_NameNoCategoryAndNotTheCallsTitle()
    {
        using var app = new CallReviewApp();
        using (app.CreateClient())
        using (var scope = app.Services.CreateScope())
            Assert.Equal(0, await scope.ServiceProvider.GetServices<ICliCommand>().Single(c => c.Name == "seed-demo").RunAsync([], CancellationToken.None));

        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        var exercises = (await connection.QueryAsync<Row>(
            "SELECT e.Title, e.Hints, c.Title AS CallTitle FROM Exercise e JOIN Call c ON c.Id = e.CallId")).ToList();
        var categories = (await connection.QueryAsync<string>("SELECT Name FROM NeedCategory"))
            .SelectMany(n => n.Split(" / ", StringSplitOptions.TrimEntries)).ToList();

        Assert.True(exercises.Count >= 10, $"only {exercises.Count} demo exercises");
        foreach (var e in exercises)
        {
            Assert.DoesNotContain(e.CallTitle, e.Title);
            Assert.DoesNotContain(e.CallTitle.Split(':')[0], e.Title);
            foreach (var text in new[] { e.Title, e.Hints })
                foreach (var category in categories)
                    Assert.False(Regex.IsMatch(text, $@"\b{Regex.Escape(category)}\b", RegexOptions.IgnoreCase), $"\"{text}\" names \"{category}\"");
        }
    }
}
