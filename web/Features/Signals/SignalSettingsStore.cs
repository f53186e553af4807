using System.Data.Common;
using CallReview.Db;
using Dapper;

namespace CallReview.Web.Features.Signals;

/// <summary>A team's signal settings (<c>TeamSignalSettings</c>); a team without a row, or a call without a team, uses the defaults.</summary>
public sealed class SignalSettingsStore(IDbConnectionFactory db, TimeProvider clock)
{
    public async Task<SignalSettings> ForTeamAsync(DbConnection connection, int? teamId) =>
        teamId is { } id
            ? SignalSettings.FromJson(await connection.ExecuteScalarAsync<string?>("SELECT Settings FROM TeamSignalSettings WHERE TeamId = @id", new { id }))
            : SignalSettings.Default;

    public async Task<SignalSettings> ForTeamAsync(int? teamId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await ForTeamAsync(connection, teamId);
    }

    public async Task SaveAsync(int teamId, SignalSettings settings, int userId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        using var turn = await db.WriteTurnAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync("DELETE FROM TeamSignalSettings WHERE TeamId = @teamId", new { teamId }, tx);
        await connection.ExecuteAsync(
            "INSERT INTO TeamSignalSettings (TeamId, Settings, UpdatedByUserId, UpdatedAt) VALUES (@teamId, @json, @userId, @now)",
            new { teamId, json = settings.ToJson(), userId, now = clock.GetUtcNow() }, tx);
        await tx.CommitAsync(ct);
    }
}
