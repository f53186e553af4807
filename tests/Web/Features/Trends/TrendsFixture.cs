using CallReview.Db;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Review;
using CallReview.Web.Features.Trends;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Trends;

/// <summary>
/// A small hand-made history with known answers. Teams Red and Blue; supervisors Sue (Red) and Bob (Blue);
/// agents Ann (Red) and Ben (Blue until Sat 10 Jan 2026, then Red). Week 1 (from Mon 5 Jan): Ann's calls have
/// 1, 2, 3 unmet needs and scores 80, 70, 60 (rubric v1); Ben's 4 and 2 (v1). Week 2 (from Mon 12 Jan): Ann's
/// 0 and 1 with scores 90 and 100, Ben's 1 with 85 (rubric v2, published Sun 11 Jan). Every call is reviewed the next day.
/// </summary>
public class TrendsFixture : CallReviewApp, IAsyncLifetime
{
    public const string Range = "from=2026-01-05&to=2026-01-18";
    public static readonly DateTimeOffset Week1 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Week2 = Week1.AddDays(7);

    public int Red { get; private set; }
    public int Blue { get; private set; }
    public int Ann { get; private set; }
    public int Ben { get; private set; }
    public int AnnFirstCall { get; private set; }

    public virtual async Task InitializeAsync()
    {
        var admin = await AdminAsync();
        Red = await admin.CreateTeamAsync("Red");
        Blue = await admin.CreateTeamAsync("Blue");
        await admin.CreateUserAsync("sue@test.local", "Sue Supervisor", "supervisor-pass-1", ["supervisor"], Red);
        await admin.CreateUserAsync("bob@test.local", "Bob Supervisor", "supervisor-pass-1", ["supervisor"], Blue);
        await admin.CreateUserAsync("ann@test.local", "Ann Agent", "agent-pass-123", ["learner"], Red);
        await admin.CreateUserAsync("ben@test.local", "Ben Agent", "agent-pass-123", ["learner"], Blue);
        Ann = await this.UserIdAsync("ann@test.local");
        Ben = await this.UserIdAsync("ben@test.local");
        var reviewer = await this.UserIdAsync(AdminEmail);

        var db = Services.GetRequiredService<IDbConnectionFactory>();
        await using var connection = await db.OpenAsync();
        // Both have been members since December; Ben moves on Saturday 10 January.
        await connection.ExecuteAsync("UPDATE TeamMembership SET FromAt = @from", new { from = Week1.AddDays(-30) });
        await connection.ExecuteAsync("UPDATE TeamMembership SET ToAt = @at WHERE UserId = @Ben", new { at = Week1.AddDays(5), Ben });
        await connection.ExecuteAsync("INSERT INTO TeamMembership (UserId, TeamId, FromAt) VALUES (@Ben, @Red, @at)", new { Ben, Red, at = Week1.AddDays(5) });
        await connection.ExecuteAsync("UPDATE TeamMember SET TeamId = @Red WHERE UserId = @Ben", new { Ben, Red });
        var v2 = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("RubricVersion",
            "RubricId, Number, IsCurrent, CreatedByUserId, CreatedAt", "1, 2, 0, NULL, @at"), new { at = Week1.AddDays(6) });

        AnnFirstCall = await ReviewedCallAsync(db, Ann, Red, Week1.AddHours(10), 1, 80, ["no-empathy"], reviewer);
        await ReviewedCallAsync(db, Ann, Red, Week1.AddDays(1).AddHours(10), 1, 70, ["no-empathy", "timeliness"], reviewer);
        await ReviewedCallAsync(db, Ann, Red, Week1.AddDays(2).AddHours(10), 1, 60, ["no-empathy", "timeliness", "rude-tone"], reviewer);
        await ReviewedCallAsync(db, Ben, Blue, Week1.AddDays(1).AddHours(11), 1, 50, ["no-empathy", "no-empathy", "timeliness", "rude-tone"], reviewer);
        await ReviewedCallAsync(db, Ben, Blue, Week1.AddDays(2).AddHours(11), 1, 75, ["timeliness", "unresolved"], reviewer);
        await ReviewedCallAsync(db, Ann, Red, Week2.AddHours(10), v2, 90, [], reviewer);
        await ReviewedCallAsync(db, Ann, Red, Week2.AddDays(1).AddHours(10), v2, 100, ["timeliness"], reviewer);
        await ReviewedCallAsync(db, Ben, Red, Week2.AddDays(1).AddHours(11), v2, 85, ["no-empathy"], reviewer);
        // Written in SQL beside the review handlers, so the trend facts are rebuilt as after any bulk load.
        await Services.GetRequiredService<TrendFactStore>().RebuildAsync(default);
    }

    /// <summary>A call by an agent at a moment, reviewed the next day: a scorecard and one unmet need per category given, 10 s apart.</summary>
    private async Task<int> ReviewedCallAsync(IDbConnectionFactory db, int agent, int team, DateTimeOffset at, int rubricVersion, double score, string[] unmet, int reviewer)
    {
        var callId = await this.InsertCallAsync($"Call {at:MMdd HHmm}", team, agent);
        await using var connection = await db.OpenAsync();
        var reviewed = at.AddDays(1);
        await connection.ExecuteAsync("UPDATE Call SET StartedAt = @at WHERE Id = @callId", new { at, callId });
        await connection.ExecuteAsync(
            "INSERT INTO ScorecardResult (CallId, RubricVersionId, ReviewerUserId, Score, AutoFailed, Comment, CreatedAt, UpdatedAt) VALUES (@callId, @rubricVersion, @reviewer, @score, 0, '', @reviewed, @reviewed)",
            new { callId, rubricVersion, reviewer, score, reviewed });
        for (var i = 0; i < unmet.Length; i++)
            await connection.ExecuteAsync(
                "INSERT INTO Annotation (CallId, Kind, StartMs, CategoryCode, Severity, Quote, Expected, AuthorUserId, CreatedAt, UpdatedAt) VALUES (@callId, 'unmet', @startMs, @category, 2, @quote, '', @reviewer, @reviewed, @reviewed)",
                new { callId, startMs = 4000 + 10_000 * i, category = unmet[i], quote = $"words {i}", reviewer, reviewed });
        return callId;
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}
