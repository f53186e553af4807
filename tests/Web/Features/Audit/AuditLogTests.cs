using System.Net;
using CallReview.Db;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Review;
using CallReview.Web.Features.Audit;
using CallReview.Web.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Audit;

/// <summary>
/// The audit trail on the real app and its SQLite file: what people do lands in it, parallel writers keep one
/// chain, and a row edited or deleted behind the app's back makes <c>verify-audit</c> fail at that place.
/// </summary>
public sealed class AuditLogTests
{
    [Fact]
    public async Task RecordAsync_EightParallelWriters_OneUnforkedChainThatVerifies()
    {
        using var app = new CallReviewApp();
        using (app.CreateClient()) { }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => app.RecordAsync(25))));

        var (exit, result) = await app.VerifyAsync();
        Assert.Equal(0, exit);
        Assert.True(result.Intact, result.Reason);
        Assert.Equal(200, result.Verified);
        Assert.Equal(200, (await app.EntriesAsync()).Count);
    }

    [Fact]
    public async Task VerifyAudit_RowEditedInTheDatabase_FailsAtThatRow()
    {
        using var app = new CallReviewApp();
        using (app.CreateClient()) { }
        await app.RecordAsync(5);
        var third = (await app.EntriesAsync())[2].Id;
        Assert.Equal(0, (await app.VerifyAsync()).ExitCode);

        await app.ExecuteAsync($"UPDATE AuditEntry SET Detail = 'nothing to see' WHERE Id = {third}");

        var (exit, result) = await app.VerifyAsync();
        Assert.Equal(1, exit);
        Assert.Equal(third, result.BrokenId);
        Assert.Equal(2, result.Verified);
    }

    [Fact]
    public async Task VerifyAudit_RowDeletedInTheDatabase_FailsAtTheRowAfterIt()
    {
        using var app = new CallReviewApp();
        using (app.CreateClient()) { }
        await app.RecordAsync(5);
        var entries = await app.EntriesAsync();

        await app.ExecuteAsync($"DELETE FROM AuditEntry WHERE Id = {entries[2].Id}");

        var (exit, result) = await app.VerifyAsync();
        Assert.Equal(1, exit);
        Assert.Equal(entries[3].Id, result.BrokenId);
    }

    [Fact]
    public async Task VerifyAudit_RowRehashedAfterAnEdit_FailsAtTheRowAfterIt()
    {
        using var app = new CallReviewApp();
        using (app.CreateClient()) { }
        await app.RecordAsync(5);
        var entries = await app.EntriesAsync();

        // Whoever edits a row and writes its new hash still leaves the next row pointing at the old one.
        await app.ExecuteAsync($"UPDATE AuditEntry SET Hash = '{new string('a', 64)}' WHERE Id = {entries[1].Id}");

        var result = (await app.VerifyAsync()).Result;
        Assert.Equal(entries[1].Id, result.BrokenId);
    }

    [Fact]
    public async Task PeopleUsingTheApp_SignInsOpeningsPlaysChangesAndExports_AreRecordedAndVerify()
    {
        using var app = new ReviewFixture();
        using (var stranger = app.NewClient())
            Assert.NotEqual(HttpStatusCode.Redirect, (await stranger.SignInAsync(ReviewFixture.Rita, "wrong-password-1")).StatusCode);
        await app.InitializeAsync();
        var callId = await app.InsertCallAsync("Audited call", app.North, app.LeoId, withAudio: true);
        var rita = await app.As(ReviewFixture.Rita);
        var page = $"/review/{callId}";

        (await rita.GetAsync($"/calls/{callId}")).EnsureSuccessStatusCode();
        (await rita.GetAsync(page)).EnsureSuccessStatusCode();
        for (var i = 0; i < 3; i++)
            (await rita.GetAsync($"/calls/{callId}/audio")).EnsureSuccessStatusCode();
        (await rita.HtmxPostAsync($"{page}/annotations", page, ReviewClient.Annotation(start: "5"))).EnsureSuccessStatusCode();
        await rita.ScoreFirstCriterionZeroAsync(page);
        var sue = await app.As(ReviewFixture.Sue);
        (await sue.GetAsync("/trends/export.csv")).EnsureSuccessStatusCode();

        var entries = await app.EntriesAsync();
        var ritaId = await app.UserIdAsync(ReviewFixture.Rita);
        var failed = Assert.Single(entries, e => e.Action == AuditActions.SignInFailed);
        Assert.Null(failed.UserId);
        Assert.Equal(ReviewFixture.Rita, failed.Actor);
        Assert.Equal(CallReview.Web.Features.Accounts.Login.WrongMessage, failed.Detail);
        Assert.Contains(entries, e => e.Action == AuditActions.SignIn && e.UserId == ritaId);
        Assert.Equal(5, entries.Count(e => e.Action == AuditActions.UserCreated && e.Actor == CallReviewApp.AdminEmail));
        Assert.Contains(entries, e => e.Action == AuditActions.UserCreated && e.Detail!.StartsWith($"{ReviewFixture.Rita}; roles reviewer;", StringComparison.Ordinal));
        // An opening is recorded once per page and sign-in, however often it is loaded (the form posts above load it for their tokens too).
        var opened = entries.Where(e => e.Action == AuditActions.CallOpened && e.ResourceId == $"{callId}" && e.UserId == ritaId).Select(e => e.Detail).ToList();
        Assert.Equal(["call page", "review page"], opened);
        Assert.Single(entries, e => e.Action == AuditActions.AudioPlayed && e.ResourceId == $"{callId}" && e.UserId == ritaId);
        var created = Assert.Single(entries, e => e.Action == AuditActions.AnnotationCreated && e.UserId == ritaId && e.Detail == $"call {callId}");
        // Written in the annotation's own transaction, it names the annotation stored.
        await using (var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
            Assert.Equal(created.ResourceId, (await connection.ExecuteScalarAsync<int>(
                "SELECT Id FROM Annotation WHERE CallId = @callId AND AuthorUserId = @ritaId", new { callId, ritaId })).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single(entries, e => e.Action == AuditActions.ScorecardSaved && e.UserId == ritaId && e.Detail!.StartsWith($"call {callId}, score", StringComparison.Ordinal));
        Assert.Single(entries, e => e is { Action: AuditActions.Exported, ResourceType: "Trends", Actor: ReviewFixture.Sue });
        Assert.True((await app.VerifyAsync()).Result.Intact);

        // Deleting is recorded in the deletion's own transaction too, naming the annotation.
        (await rita.HtmxPostAsync($"{page}/annotations/{created.ResourceId}/delete", page)).EnsureSuccessStatusCode();
        Assert.Single(await app.EntriesAsync(), e => e.Action == AuditActions.AnnotationDeleted && e.UserId == ritaId && e.ResourceId == created.ResourceId);

        // A new sign-in is a new session: opening the page again is recorded again.
        var again = await app.SignedInAsync(ReviewFixture.Rita, ReviewFixture.Password);
        (await again.GetAsync(page)).EnsureSuccessStatusCode();
        (await again.GetAsync(page)).EnsureSuccessStatusCode();
        Assert.Equal(2, (await app.EntriesAsync()).Count(e => e.Action == AuditActions.CallOpened && e.UserId == ritaId && e.Detail == "review page"));
    }

    [Fact]
    public async Task AdminAudit_SearchByUserActionAndDate_ShowsAndExportsOnlyMatches()
    {
        using var app = new CallReviewApp();
        using (var stranger = app.NewClient())
            await stranger.SignInAsync("mallory@test.local", "wrong-password-1");
        var admin = await app.AdminAsync();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var page = await admin.GetStringAsync($"/admin/audit?Who=mallory&What=sign-in.failed&From={today}&To={today}");
        var csv = await admin.GetStringAsync("/admin/audit/export.csv?Who=mallory");
        var tomorrow = await admin.GetStringAsync($"/admin/audit?Who=mallory&From={DateTime.UtcNow.AddDays(1):yyyy-MM-dd}");

        Assert.Contains("mallory@test.local", page);
        Assert.DoesNotContain(CallReviewApp.AdminEmail + "</td>", page);
        Assert.Contains("No entries match.", tomorrow);
        var lines = csv.Trim().Split('\n');
        Assert.StartsWith("id,at_utc,user_id,actor,action", lines[0]);
        Assert.Single(lines, l => l.Contains("mallory@test.local,sign-in.failed", StringComparison.Ordinal));
        Assert.Equal(2, lines.Length);
        var export = Assert.Single(await app.EntriesAsync(), e => e.Action == AuditActions.Exported);
        Assert.Equal(("AuditEntry", CallReviewApp.AdminEmail), (export.ResourceType, export.Actor));
    }

    [Fact]
    public async Task AdminAudit_InCzech_LabelsEachActionInCzech_WhileTheStoredChainStaysAndVerifies()
    {
        using var app = new CallReviewApp();
        using (var stranger = app.NewClient())
            await stranger.SignInAsync("mallory@test.local", "wrong-password-1");
        var admin = (await app.AdminAsync()).Speaking("cs");

        var page = await admin.GetStringAsync("/admin/audit?Who=mallory");

        Assert.Contains("Neúspěšné přihlášení", page);
        Assert.Contains("sign-in.failed", page);
        Assert.DoesNotContain("Sign-in failed", page);
        Assert.Equal(AuditActions.SignInFailed, Assert.Single(await app.EntriesAsync(), e => e.Actor == "mallory@test.local").Action);
        Assert.True((await app.VerifyAsync()).Result.Intact);
    }
    [Fact]
    public async Task AdminAudit_InCzech_LabelsEachResourceTypeInCzech_KeepingTheCodeForSearch()
    {
        using var app = new CallReviewApp();
        using (var stranger = app.NewClient())
            await stranger.SignInAsync("mallory@test.local", "wrong-password-1");
        var admin = (await app.AdminAsync()).Speaking("cs");

        var page = await admin.GetStringAsync("/admin/audit?Who=mallory");

        Assert.Contains("Uživatelský účet", page);
        Assert.Contains("UserAccount", page);
        Assert.Equal("UserAccount", Assert.Single(await app.EntriesAsync(), e => e.Actor == "mallory@test.local").ResourceType);
        Assert.True((await app.VerifyAsync()).Result.Intact);
    }
}
