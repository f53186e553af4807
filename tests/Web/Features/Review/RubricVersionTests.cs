using System.Net;
using CallReview.Db;
using CallReview.Tests.Db;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Review;

/// <summary>Publishing a rubric changes what new scorecards use (its own app: the rubric is global).</summary>
public sealed class RubricVersionTests(PerDatabase<RubricVersionTests.Fixture> apps) : IClassFixture<PerDatabase<RubricVersionTests.Fixture>>
{
    public sealed class Fixture : ReviewFixture;

    [DatabaseTheory, DatabaseData]
    public async Task PublishRubric_NewVersion_OldScorecardKeepsItsCriteria(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var callId = await app.InsertCallAsync("Versioned scoring", app.North, app.LeoId);
        var ids = await ScorecardAndDisputeTests.CriteriaAsync(app, callId);
        var rita = await app.As(ReviewFixture.Rita);
        await rita.HtmxPostAsync($"/review/{callId}/scorecard", $"/review/{callId}", ScorecardAndDisputeTests.Answers(ids, 4, 1, 4, 4, 4, 1));

        var admin = await app.AdminAsync();
        var published = await admin.PostFormAsync("/admin/rubric",
            [new("Criteria[0].Section", "Everything"), new("Criteria[0].Title", "Overall handling"), new("Criteria[0].Scale", "points"),
             new("Criteria[0].MaxPoints", "5"), new("Criteria[0].Weight", "1")]);
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);

        Assert.Contains("Product knowledge accuracy", await rita.GetStringAsync($"/review/{callId}"));
        var otherCall = await app.InsertCallAsync("Scored on the new version", app.North, app.LeoId);
        var fresh = await rita.GetStringAsync($"/review/{otherCall}");
        Assert.Contains("Overall handling", fresh);
        Assert.DoesNotContain("Product knowledge accuracy", fresh);
    }
}

/// <summary>Concurrent publishes (its own app: the rubric is global).</summary>
public sealed class RubricConcurrencyTests(PerDatabase<RubricConcurrencyTests.Fixture> apps) : IClassFixture<PerDatabase<RubricConcurrencyTests.Fixture>>
{
    public sealed class Fixture : ReviewFixture;

    /// <summary>
    /// Each publish reads the current version after taking the write lock, so none reuses a number (the race is
    /// SQL Server's: SQLite's transactions are serialised).
    /// </summary>
    [DatabaseTheory, DatabaseData]
    public async Task PublishRubric_Concurrently_GivesEachVersionItsOwnNumber(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var admin = await app.AdminAsync();
        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        var before = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM RubricVersion");

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => admin.PostFormAsync("/admin/rubric",
            [new("Criteria[0].Section", "Everything"), new("Criteria[0].Title", $"Handling {i}"), new("Criteria[0].Scale", "points"),
             new("Criteria[0].MaxPoints", "5"), new("Criteria[0].Weight", "1")])));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        var numbers = (await connection.QueryAsync<int>("SELECT Number FROM RubricVersion")).ToList();
        Assert.Equal(before + 4, numbers.Count);
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM RubricVersion WHERE IsCurrent = 1"));
    }
}
