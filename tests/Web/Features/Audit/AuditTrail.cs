using CallReview.Db;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Retention;
using CallReview.Web.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Audit;

/// <summary>The audit trail of a test app as its tests read, write, tamper with and verify it.</summary>
public static class AuditTrail
{
    public static async Task<List<AuditEntry>> EntriesAsync(this CallReviewApp app)
    {
        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        return (await connection.QueryAsync<AuditEntry>(
            "SELECT Id, At, UserId, Actor, Action, ResourceType, ResourceId, Detail, SourceAddress, PreviousHash, Hash FROM AuditEntry ORDER BY Id")).ToList();
    }

    /// <summary>SQL sent behind the app's back, as someone with the database file could.</summary>
    public static async Task ExecuteAsync(this CallReviewApp app, string sql)
    {
        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        await connection.ExecuteAsync(sql);
    }

    public static async Task RecordAsync(this CallReviewApp app, int count, string action = "test.entry")
    {
        using var scope = app.Services.CreateScope();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        for (var i = 0; i < count; i++)
            await audit.RecordAsync(AuditActor.System, action, "Test", i, $"entry {i}", CancellationToken.None);
    }

    /// <summary>The <c>verify-audit</c> command's exit code, and the verification's result.</summary>
    public static async Task<(int ExitCode, VerifyAudit.Result Result)> VerifyAsync(this CallReviewApp app)
    {
        using var scope = app.Services.CreateScope();
        var exit = await scope.ServiceProvider.GetServices<ICliCommand>().Single(c => c.Name == "verify-audit").RunAsync([], CancellationToken.None);
        return (exit, await scope.ServiceProvider.GetRequiredService<VerifyAudit.Handler>().VerifyAsync(CancellationToken.None));
    }

    /// <summary>One run of the retention schedule, as the worker makes it (it prunes the audit trail too).</summary>
    public static async Task<ApplyRetention.Result> RunRetentionAsync(this CallReviewApp app)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ApplyRetention.Handler>().RunAsync(CancellationToken.None);
    }
}
