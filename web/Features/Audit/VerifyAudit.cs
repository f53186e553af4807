using CallReview.Db;
using CallReview.Web.Infrastructure;
using Dapper;

namespace CallReview.Web.Features.Audit;

/// <summary>Walks the audit trail in order and finds the first entry whose hash or link does not hold.</summary>
public static class VerifyAudit
{
    /// <summary>How many entries held, and the first that did not (with why), if any.</summary>
    public sealed record Result(int Verified, long? BrokenId, string? Reason)
    {
        public bool Intact => BrokenId is null;
    }

    public sealed class Handler(IDbConnectionFactory db)
    {
        public async Task<Result> VerifyAsync(CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            // After pruning, the chain starts at the hash of the last pruned entry, which the latest checkpoint names
            // (the checkpoint is itself in the chain, so editing or deleting it breaks it too).
            var checkpoint = await connection.QuerySingleOrDefaultAsync<AuditEntry>(
                $"SELECT ResourceId, Detail FROM AuditEntry WHERE Id = (SELECT MAX(Id) FROM AuditEntry WHERE Action = '{AuditActions.Pruned}')");
            var previous = checkpoint?.Detail ?? AuditEntry.Genesis;
            var after = checkpoint is { ResourceId: { } prunedThrough } ? long.Parse(prunedThrough, System.Globalization.CultureInfo.InvariantCulture) : 0;
            var verified = 0;
            // Unbuffered: the trail can be long, and only one entry is needed at a time.
            await foreach (var entry in connection.QueryUnbufferedAsync<AuditEntry>(
                               "SELECT Id, At, UserId, Actor, Action, ResourceType, ResourceId, Detail, SourceAddress, PreviousHash, Hash FROM AuditEntry WHERE Id > @after ORDER BY Id",
                               new { after })
                           .WithCancellation(ct))
            {
                if (entry.PreviousHash != previous)
                    return new Result(verified, entry.Id, "its previous hash is not the hash of the entry before it: an entry was deleted or its hash changed");
                if (entry.ComputeHash() != entry.Hash)
                    return new Result(verified, entry.Id, "its fields do not give its hash: the entry was edited");
                previous = entry.Hash;
                verified++;
            }
            return new Result(verified, null, null);
        }
    }
}

/// <summary><c>verify-audit</c>: checks the audit trail's hash chain; exits 1 at the first broken entry.</summary>
public sealed class VerifyAuditCommand(VerifyAudit.Handler verify) : ICliCommand
{
    public string Name => "verify-audit";
    public string Usage => "verify-audit";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var result = await verify.VerifyAsync(ct);
        if (result.Intact)
        {
            Console.WriteLine($"audit trail intact: {result.Verified} entries verified");
            return 0;
        }
        Console.WriteLine($"audit trail broken at entry {result.BrokenId}: {result.Reason} ({result.Verified} entries before it verified)");
        return 1;
    }
}
