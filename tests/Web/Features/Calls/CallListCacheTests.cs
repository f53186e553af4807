using CallReview.Db;
using CallReview.Tests.Web.Features.Review;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Calls;

/// <summary>
/// The calls list keeps its pages in memory under the list's version (migration 0024): whatever changes what a page
/// shows, or whom it shows it to, written by whichever process (here straight in the database, as the worker or another
/// web process would), is on the very next load.
/// </summary>
public sealed class CallListCacheTests(ReviewFixture app) : IClassFixture<ReviewFixture>
{
    private async Task ExecuteAsync(string sql, object? parameters = null)
    {
        var db = app.Services.GetRequiredService<IDbConnectionFactory>();
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    [Fact]
    public async Task CallsList_ShownOnce_ShowsANewCallARenamedCallAJobAndANewAgentNameOnTheNextLoad()
    {
        var rita = await app.As(ReviewFixture.Rita);
        var before = await rita.GetStringAsync("/calls");
        Assert.Contains("Invoice complaint", before);

        var added = await app.InsertCallAsync("Freshly arrived call", app.North, null);
        Assert.Contains("Freshly arrived call", await rita.GetStringAsync("/calls"));

        await ExecuteAsync("UPDATE Call SET Title = 'Renamed arrival' WHERE Id = @added", new { added });
        var renamed = await rita.GetStringAsync("/calls");
        Assert.Contains("Renamed arrival", renamed);
        Assert.DoesNotContain("Freshly arrived call", renamed);

        await ExecuteAsync(
            "INSERT INTO TranscriptionJob (CallId, Status, Language, MaxAttempts, Error, ErrorKey, ErrorArgs, CreatedAt) VALUES (@added, 'failed', 'en', 3, 'decoder gave up', 'recording-unreadable', '[]', @now)",
            new { added, now = DateTimeOffset.UtcNow });
        Assert.Contains("The recording could not be decoded.", await rita.GetStringAsync("/calls"));

        await ExecuteAsync("UPDATE UserAccount SET DisplayName = 'Leo Renamed' WHERE Id = @LeoId", new { app.LeoId });
        var agent = await rita.GetStringAsync("/calls");
        Assert.Contains("Leo Renamed", agent);
        Assert.DoesNotContain("Leo Agent", agent);
    }

    [Fact]
    public async Task CallsList_KeptForOneUser_IsNotAnotherUsers_AndANewTeamMemberSeesTheTeamsCallsOnTheNextLoad()
    {
        var rob = await app.As(ReviewFixture.Rob);
        var sam = await app.As(ReviewFixture.Sam);
        Assert.Contains("Invoice complaint", await rob.GetStringAsync("/calls"));
        var samsList = await sam.GetStringAsync("/calls");
        Assert.Contains("South call", samsList);
        Assert.DoesNotContain("Invoice complaint", samsList);

        await ExecuteAsync("INSERT INTO TeamMember (TeamId, UserId) SELECT @North, Id FROM UserAccount WHERE Email = @Sam",
            new { app.North, ReviewFixture.Sam });
        Assert.Contains("Invoice complaint", await sam.GetStringAsync("/calls"));
    }
}
