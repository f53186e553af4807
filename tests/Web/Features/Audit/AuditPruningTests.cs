using System.Net;
using CallReview.Db;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Practice;
using CallReview.Tests.Web.Features.Review;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Retention;
using CallReview.Web.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Audit;

/// <summary>
/// The audit trail kept 12 months (configurable) on a clock the test moves: the retention run prunes older entries
/// and leaves a checkpoint, <c>verify-audit</c> verifies from it, and an entry edited or deleted after pruning (the
/// checkpoint included) still shows. Also: what admins and reviewers change beyond calls is recorded.
/// </summary>
public sealed class AuditPruningTests
{
    private sealed class App : CallReviewApp
    {
        public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }

    [Fact]
    public async Task RetentionRun_EntriesOlderThanTwelveMonths_ArePrunedAndTheChainStillVerifiesFromTheCheckpoint()
    {
        using var app = new App();
        using (app.CreateClient()) { }
        await app.RecordAsync(5);
        var oldest = await app.EntriesAsync();
        app.Clock.Advance(TimeSpan.FromDays(200));
        await app.RecordAsync(3);
        app.Clock.Advance(TimeSpan.FromDays(200));

        // 400 days on: the first entries are past 12 months, the later ones are not.
        var run = await app.RunRetentionAsync();

        Assert.Equal(oldest.Count, run.AuditEntriesPruned);
        var kept = await app.EntriesAsync();
        Assert.DoesNotContain(kept, e => oldest.Any(o => o.Id == e.Id));
        Assert.Equal(3, kept.Count(e => e.Action == "test.entry"));
        var checkpoint = Assert.Single(kept, e => e.Action == AuditActions.Pruned);
        Assert.Equal((oldest[^1].Id.ToString(), oldest[^1].Hash), (checkpoint.ResourceId, checkpoint.Detail));
        Assert.Equal(oldest[^1].Hash, kept[0].PreviousHash);
        var (exit, result) = await app.VerifyAsync();
        Assert.Equal(0, exit);
        Assert.True(result.Intact, result.Reason);
        Assert.Equal(kept.Count, result.Verified);

        // A second pruning a year later starts from the first checkpoint's chain, and verifies too.
        await app.RecordAsync(2);
        app.Clock.Advance(TimeSpan.FromDays(400));
        await app.RunRetentionAsync();
        Assert.True((await app.VerifyAsync()).Result.Intact);
        Assert.Single(await app.EntriesAsync(), e => e.Action == AuditActions.Pruned);
    }

    [Fact]
    public async Task VerifyAudit_AfterPruning_AnEditedRowADeletedRowOrADeletedCheckpointShow()
    {
        using var app = new App();
        using (app.CreateClient()) { }
        await app.RecordAsync(4);
        app.Clock.Advance(TimeSpan.FromDays(400));
        await app.RecordAsync(4);
        await app.RunRetentionAsync();
        var kept = await app.EntriesAsync();
        Assert.True((await app.VerifyAsync()).Result.Intact);

        await app.ExecuteAsync($"UPDATE AuditEntry SET Detail = 'nothing to see' WHERE Id = {kept[1].Id}");
        Assert.Equal((1, kept[1].Id), ((await app.VerifyAsync()).ExitCode, (await app.VerifyAsync()).Result.BrokenId));
        await app.ExecuteAsync($"UPDATE AuditEntry SET Detail = '{kept[1].Detail}' WHERE Id = {kept[1].Id}");
        Assert.True((await app.VerifyAsync()).Result.Intact);

        // The first entry kept after the checkpoint, deleted: the next one no longer links to what the checkpoint names.
        await app.ExecuteAsync($"DELETE FROM AuditEntry WHERE Id = {kept[0].Id}");
        Assert.Equal(kept[1].Id, (await app.VerifyAsync()).Result.BrokenId);
    }

    [Fact]
    public async Task VerifyAudit_CheckpointDeleted_FailsWhereTheChainNoLongerStarts()
    {
        using var app = new App();
        using (app.CreateClient()) { }
        await app.RecordAsync(4);
        app.Clock.Advance(TimeSpan.FromDays(400));
        await app.RecordAsync(2);
        await app.RunRetentionAsync();
        var kept = await app.EntriesAsync();
        var checkpoint = kept.Single(e => e.Action == AuditActions.Pruned);

        await app.ExecuteAsync($"DELETE FROM AuditEntry WHERE Id = {checkpoint.Id}");

        var (exit, result) = await app.VerifyAsync();
        Assert.Equal(1, exit);
        Assert.Equal(kept[0].Id, result.BrokenId);
    }

    [Fact]
    public async Task RetentionMonths_Configured_PrunesByIt_AndZeroKeepsEverything()
    {
        using var app = new App();
        app.Settings["CallReview:Audit:RetentionMonths"] = "0";
        using (app.CreateClient()) { }
        await app.RecordAsync(3);
        app.Clock.Advance(TimeSpan.FromDays(4000));

        Assert.Equal(0, (await app.RunRetentionAsync()).AuditEntriesPruned);
        Assert.Equal(3, (await app.EntriesAsync()).Count(e => e.Action == "test.entry"));
    }

    [Fact]
    public async Task AdminAndReviewerChanges_TeamsKeysCategoriesRubricExercisesRetention_AreRecorded()
    {
        using var app = new ReviewFixture();
        await app.InitializeAsync();
        var admin = await app.AdminAsync();
        await admin.CreateTeamAsync("East");
        await admin.PostFormAsync("/admin/apikeys", [new("UserEmail", ReviewFixture.Rita), new("Name", "dialler")]);
        int keyId;
        await using (var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
            keyId = await connection.ExecuteScalarAsync<int>("SELECT MAX(Id) FROM ApiKey");
        await admin.PostFormAsync($"/admin/apikeys/{keyId}/revoke", [], "/admin/apikeys");
        await admin.PostFormAsync("/admin/categories", [new("Name", "Long hold"), new("MetName", "Short hold"), new("IsActive", "true")]);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/rubric",
            [new("Criteria[0].Title", "Greets"), new("Criteria[0].Scale", "yesno"), new("Criteria[0].Weight", "1"), new("Criteria[0].MaxPoints", "1")])).StatusCode);
        await admin.PostFormAsync($"/admin/retention/{app.North}", [new("Days", "90")], "/admin/retention");
        var rita = await app.As(ReviewFixture.Rita);
        var pin = await app.InsertAnnotationAsync(app.NorthCall, await app.UserIdAsync(ReviewFixture.Rita), "unmet", 13_000, null, "no-empathy", "q", "e");
        var exercise = await rita.SaveExerciseAsync(
        [
            new("Kind", "spot"), new("CallId", app.NorthCall.ToString()), new("Title", "Spot it"), new("AnswerIds", pin.ToString()),
            new("ShowTranscript", "true"), new("FullCreditSeconds", "4"), new("ZeroCreditSeconds", "15"), new("Difficulty", "1"),
            new("CritiqueMinChars", "0"), new("Publish", "true"), new("TeamIds", app.North.ToString()), new("IsTrainingMaterial", "true"),
        ]);

        var entries = await app.EntriesAsync();
        Assert.Contains(entries, e => e is { Action: AuditActions.TeamCreated, Detail: "East" });
        // The key's first characters only, never the key.
        var created = Assert.Single(entries, e => e.Action == AuditActions.ApiKeyCreated && e.ResourceId == keyId.ToString());
        Assert.Matches("^user \\d+, \"dialler\", cr_.{6}…$", created.Detail);
        Assert.Contains(entries, e => e.Action == AuditActions.ApiKeyRevoked && e.ResourceId == keyId.ToString());
        Assert.Contains(entries, e => e is { Action: AuditActions.CategorySaved, ResourceId: "long-hold" });
        Assert.Contains(entries, e => e.Action == AuditActions.RubricPublished && e.Detail!.StartsWith("version 2", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Action == AuditActions.RetentionSet && e.ResourceId == app.North.ToString());
        Assert.Contains(entries, e => e.Action == AuditActions.ExerciseCreated && e.ResourceId == exercise.ToString() && e.Detail == $"call {app.NorthCall}; published; training material");
        Assert.True((await app.VerifyAsync()).Result.Intact);
    }
}
