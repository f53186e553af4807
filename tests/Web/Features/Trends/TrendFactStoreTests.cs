using System.Globalization;
using CallReview.Db;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Retention;
using CallReview.Web.Features.Review;
using CallReview.Web.Features.Trends;
using CallReview.Web.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Trends;

/// <summary>The kept trend facts against a rebuild from the reviews, on the demo's fourteen weeks of history.</summary>
public sealed class TrendFactStoreTests
{
    private static readonly string[] Tables =
    [
        "SELECT CallId, ResultId, AgentUserId, Teams, CallDay, ReviewDay, RubricVersionId, Score, AutoFailed, Unmet, Model FROM TrendCall",
        "SELECT CallId, CategoryCode, Unmet FROM TrendCallCategory",
        "SELECT Teams, TeamId FROM TrendTeams",
        "SELECT DateBasis, LocalDay, Teams, CategoryCode, UnmetSum, UnmetSquares FROM TrendDayCategory",
        "SELECT DateBasis, LocalDay, Teams, CriterionId, Points, Answers FROM TrendDayCriterion",
    ];

    [Fact]
    public async Task EditsThroughTheReviewHandlers_LeaveTheFactsEqualToAFullRebuild_OnTheDemoHistory()
    {
        using var app = await DemoAsync();
        var db = app.Services.GetRequiredService<IDbConnectionFactory>();
        var seeded = await SnapshotAsync(db);
        Assert.True(seeded[0].Count > 500, $"only {seeded[0].Count} reviewed calls in the demo facts");

        using var scope = app.Services.CreateScope();
        var services = scope.ServiceProvider;
        await using (var connection = await db.OpenAsync())
        {
            var supervisorId = await connection.ExecuteScalarAsync<int>("SELECT UserId FROM UserRole WHERE Role = 'supervisor' ORDER BY UserId");
            var supervisor = new CurrentUser(supervisorId, "s", "Supervisor", new HashSet<string> { Roles.Supervisor },
                (await connection.QueryAsync<int>("SELECT TeamId FROM TeamMember WHERE UserId = @supervisorId", new { supervisorId })).ToHashSet());
            var calls = (await connection.QueryAsync<int>("SELECT CallId FROM TrendCall ORDER BY CallId")).ToList();
            ReviewScope On(int callId) => new(callId, null, 600_000, $"/review/{callId}");

            // A new unmet need, a category changed, a moment deleted, a scorecard re-scored, a dispute upheld, a first review.
            var annotate = services.GetRequiredService<SaveAnnotation.Handler>();
            Assert.True((await annotate.CreateAsync(On(calls[0]), supervisor,
                new SaveAnnotation.Input { Kind = "unmet", Start = 12.5m, Category = "rude-tone", Severity = 3, Quote = "q", Expected = "e" }, default)).IsDone);
            var changed = await connection.QueryFirstAsync<(int Id, int CallId)>(
                "SELECT a.Id, a.CallId FROM Annotation a JOIN TrendCall t ON t.CallId = a.CallId WHERE a.Kind = 'unmet' AND a.CategoryCode <> 'unresolved' AND a.DeletedAt IS NULL AND a.CalibrationSessionId IS NULL ORDER BY a.Id DESC");
            Assert.True((await annotate.UpdateAsync(On(changed.CallId), supervisor, changed.Id,
                new SaveAnnotation.Input { Kind = "unmet", Start = 20m, Category = "unresolved", Severity = 1, Quote = "q", Expected = "e" }, default)).IsDone);
            var deleted = await connection.QueryFirstAsync<(int Id, int CallId)>(
                "SELECT a.Id, a.CallId FROM Annotation a JOIN TrendCall t ON t.CallId = a.CallId WHERE a.Kind = 'exemplary' AND a.DeletedAt IS NULL AND a.CalibrationSessionId IS NULL ORDER BY a.Id");
            Assert.True((await services.GetRequiredService<DeleteAnnotation.Handler>().DeleteAsync(On(deleted.CallId), supervisor, deleted.Id, default)).IsDone);

            var rescored = await connection.QueryFirstAsync<(int CallId, int ReviewerUserId)>(
                "SELECT r.CallId, r.ReviewerUserId FROM ScorecardResult r JOIN TrendCall t ON t.ResultId = r.Id ORDER BY r.Id DESC");
            var reviewer = new CurrentUser(rescored.ReviewerUserId, "r", "Reviewer", new HashSet<string> { Roles.Reviewer }, new HashSet<int>());
            var save = services.GetRequiredService<SaveScorecard.Handler>();
            Assert.True((await save.SaveAsync(On(rescored.CallId), reviewer, await ZeroesAsync(connection, rescored.CallId), default)).IsDone);
            var unreviewed = await connection.ExecuteScalarAsync<int>(
                "SELECT c.Id FROM Call c WHERE NOT EXISTS (SELECT 1 FROM ScorecardResult r WHERE r.CallId = c.Id) AND c.IsSample = 0 ORDER BY c.Id DESC");
            Assert.True((await save.SaveAsync(On(unreviewed), reviewer, await ZeroesAsync(connection, null), default)).IsDone);

            var resolve = services.GetRequiredService<ResolveDispute.Handler>();
            // The agent disputes an unmet need on another reviewed call; the supervisor of that call's team upholds it.
            var disputed = await connection.QueryFirstAsync<(int Id, int CallId, int AgentUserId, int TeamId)>(
                """
                SELECT a.Id, a.CallId, c.AgentUserId, c.TeamId FROM Annotation a JOIN TrendCall t ON t.CallId = a.CallId JOIN Call c ON c.Id = a.CallId
                WHERE a.Kind = 'unmet' AND a.DeletedAt IS NULL AND a.CalibrationSessionId IS NULL AND c.AgentUserId IS NOT NULL AND a.CallId NOT IN @calls ORDER BY a.Id
                """, new { calls = new[] { calls[0], changed.CallId, deleted.CallId, rescored.CallId } });
            var disputeId = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("Dispute",
                "CallId, AgentUserId, AnnotationId, Comment, Status, CreatedAt", "@CallId, @AgentUserId, @Id, 'I did help here.', 'open', @now"),
                new { disputed.CallId, disputed.AgentUserId, disputed.Id, now = DateTimeOffset.UtcNow });
            await connection.ExecuteAsync(
                "INSERT INTO TeamMember (TeamId, UserId) SELECT @TeamId, @supervisorId WHERE NOT EXISTS (SELECT 1 FROM TeamMember WHERE TeamId = @TeamId AND UserId = @supervisorId)",
                new { disputed.TeamId, supervisorId });
            Assert.True((await resolve.ResolveAsync(disputeId, supervisor, new ResolveDispute.Form { Outcome = "remove", Resolution = "upheld" }, default)).IsDone);
        }
        var kept = await SnapshotAsync(db);
        Assert.NotEqual(seeded, kept);
        Assert.Equal(seeded[0].Count + 1, kept[0].Count);

        await app.Services.GetRequiredService<TrendFactStore>().RebuildAsync(default);
        var rebuilt = await SnapshotAsync(db);
        for (var i = 0; i < Tables.Length; i++)
            Assert.Equal(rebuilt[i], kept[i]);
    }

    [Fact]
    public async Task AMixOfAnnotationWrites_ChangesTheCountsByDeltas_EqualToAFullRecount()
    {
        using var app = await DemoAsync();
        var db = app.Services.GetRequiredService<IDbConnectionFactory>();
        using var scope = app.Services.CreateScope();
        var services = scope.ServiceProvider;
        var annotate = services.GetRequiredService<SaveAnnotation.Handler>();
        var delete = services.GetRequiredService<DeleteAnnotation.Handler>();
        await using var connection = await db.OpenAsync();
        var supervisorId = await connection.ExecuteScalarAsync<int>("SELECT UserId FROM UserRole WHERE Role = 'supervisor' ORDER BY UserId");
        var supervisor = new CurrentUser(supervisorId, "s", "Supervisor", new HashSet<string> { Roles.Supervisor }, new HashSet<int>());
        // Three reviewed calls counting on the same call day and team set (their sums share rows), one on another day, one
        // not reviewed yet, and a calibration session's call (its pins count nowhere).
        var shared = (await connection.QueryAsync<int>(
            """
            SELECT CallId FROM TrendCall WHERE CallDay || '/' || Teams =
                (SELECT CallDay || '/' || Teams FROM TrendCall GROUP BY CallDay, Teams HAVING COUNT(*) >= 3 ORDER BY CallDay DESC LIMIT 1)
            ORDER BY CallId LIMIT 3
            """)).ToList();
        Assert.Equal(3, shared.Count);
        var other = await connection.ExecuteScalarAsync<int>("SELECT CallId FROM TrendCall WHERE CallDay <> (SELECT CallDay FROM TrendCall WHERE CallId = @Id) ORDER BY CallId",
            new { Id = shared[0] });
        var unreviewed = await connection.ExecuteScalarAsync<int>(
            "SELECT c.Id FROM Call c WHERE NOT EXISTS (SELECT 1 FROM ScorecardResult r WHERE r.CallId = c.Id) AND c.IsSample = 0 ORDER BY c.Id DESC");
        var session = await connection.QueryFirstAsync<(int Id, int CallId)>("SELECT Id, CallId FROM CalibrationSession ORDER BY Id");
        var scopes = shared.Append(other).Append(unreviewed).Select(id => new ReviewScope(id, null, 600_000, $"/review/{id}"))
            .Append(new ReviewScope(session.CallId, session.Id, 600_000, $"/calibration/{session.Id}")).ToList();
        var categories = (await connection.QueryAsync<string>("SELECT Code FROM NeedCategory WHERE IsActive = 1 ORDER BY Code")).Take(4).ToList();
        // The calls' own annotations are changed and deleted too, so counts go down from what the demo counted.
        var live = (await connection.QueryAsync<(int Id, int CallId)>(
            "SELECT Id, CallId FROM Annotation WHERE CallId IN @calls AND DeletedAt IS NULL AND CalibrationSessionId IS NULL",
            new { calls = scopes.Take(5).Select(s => s.CallId) })).Select(a => (a.Id, Scope: scopes.First(s => s.CallId == a.CallId && s.SessionId is null))).ToList();
        var random = new Random(14);
        SaveAnnotation.Input Any() => random.Next(4) == 0
            ? new SaveAnnotation.Input { Kind = "exemplary", Start = random.Next(500), Category = categories[random.Next(categories.Count)], Quote = "q", Expected = "e" }
            : new SaveAnnotation.Input { Kind = "unmet", Start = random.Next(500), Category = categories[random.Next(categories.Count)], Severity = 2, Quote = "q", Expected = "e" };

        for (var i = 0; i < 240; i++)
        {
            var op = random.Next(10);
            if (op < 5 || live.Count == 0)
            {
                var on = scopes[random.Next(scopes.Count)];
                var created = await annotate.CreateAsync(on, supervisor, Any(), default);
                Assert.True(created.IsDone);
                live.Add((created.Value, on));
            }
            else if (op < 8)
            {
                var (id, on) = live[random.Next(live.Count)];
                Assert.True((await annotate.UpdateAsync(on, supervisor, id, Any(), default)).IsDone);
            }
            else
            {
                var at = random.Next(live.Count);
                Assert.True((await delete.DeleteAsync(live[at].Scope, supervisor, live[at].Id, default)).IsDone);
                live.RemoveAt(at);
            }
            if (i == 120)
            {
                // Halfway: retention and an erasure on shared calls (quotes only), and a re-scored call (a full refresh of its facts).
                var store = services.GetRequiredService<CallReview.Transcription.Recordings.RecordingStore>();
                await using (var tx = await connection.BeginTransactionAsync())
                {
                    await CallDataRemoval.AnonymiseAsync(connection, db.Dialect, tx, store, shared[0], [], DateTimeOffset.UtcNow);
                    await CallDataRemoval.EraseAsync(connection, db.Dialect, tx, store, shared[1], DateTimeOffset.UtcNow);
                    await tx.CommitAsync();
                }
                var reviewerId = await connection.ExecuteScalarAsync<int>("SELECT ReviewerUserId FROM ScorecardResult WHERE CallId = @Id ORDER BY Id", new { Id = shared[2] });
                var reviewer = new CurrentUser(reviewerId, "r", "Reviewer", new HashSet<string> { Roles.Reviewer }, new HashSet<int>());
                Assert.True((await services.GetRequiredService<SaveScorecard.Handler>().SaveAsync(scopes[2], reviewer, await ZeroesAsync(connection, shared[2]), default)).IsDone);
            }
        }
        var kept = await SnapshotAsync(db);

        await app.Services.GetRequiredService<TrendFactStore>().RebuildAsync(default);
        var rebuilt = await SnapshotAsync(db);
        for (var i = 0; i < Tables.Length; i++)
            Assert.Equal(rebuilt[i], kept[i]);
    }

    /// <summary>An app with the demo's history seeded.</summary>
    private static async Task<CallReviewApp> DemoAsync()
    {
        var app = new CallReviewApp();
        using (app.CreateClient())
        using (var seed = app.Services.CreateScope())
            Assert.Equal(0, await seed.ServiceProvider.GetServices<ICliCommand>().Single(c => c.Name == "seed-demo").RunAsync([], CancellationToken.None));
        return app;
    }

    /// <summary>Every criterion of the call's rubric version (or the current one) at zero points.</summary>
    private static async Task<SaveScorecard.Form> ZeroesAsync(System.Data.Common.DbConnection connection, int? callId)
    {
        var criteria = await connection.QueryAsync<int>(
            """
            SELECT Id FROM RubricCriterion WHERE RubricVersionId = COALESCE(
                (SELECT MIN(r.RubricVersionId) FROM ScorecardResult r WHERE r.CallId = @callId), (SELECT MAX(Id) FROM RubricVersion WHERE IsCurrent = 1))
            """, new { callId });
        return new SaveScorecard.Form { Points = criteria.ToDictionary(id => id, _ => (string?)"0") };
    }

    private static async Task<List<List<string>>> SnapshotAsync(IDbConnectionFactory db)
    {
        await using var connection = await db.OpenAsync();
        var tables = new List<List<string>>();
        foreach (var sql in Tables)
            tables.Add((await connection.QueryAsync(sql)).Select(row => string.Join("|",
                ((IDictionary<string, object?>)row).Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))).Order(StringComparer.Ordinal).ToList());
        return tables;
    }
}
