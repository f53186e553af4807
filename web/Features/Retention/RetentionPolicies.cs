using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using CallReview.Db;
using CallReview.Web.Features.Audit;
using CallReview.Web.Features.Calls;
using CallReview.Web.Features.Shared;
using Dapper;

namespace CallReview.Web.Features.Retention;

/// <summary>
/// Admins set each team's retention period (none = keep forever). A period applies only after the admin has seen
/// its preview — which calls it would reach today and what would happen to each — and confirmed it; changing the
/// period takes the confirmation back.
/// </summary>
public static class RetentionPolicies
{
    public sealed class TeamPolicy
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public int? RetentionDays { get; init; }
        public DateTimeOffset? RetentionConfirmedAt { get; init; }
        public int Calls { get; init; }
        public int Retained { get; init; }

        public bool Applies => RetentionDays is not null && RetentionConfirmedAt is not null;
    }

    public sealed class Form
    {
        /// <summary>Empty: keep forever.</summary>
        [Range(1, 36500, ErrorMessage = "Keep calls 1 to 36500 days, or leave it empty to keep them forever."), Display(Name = "Retention period (days)")]
        public int? Days { get; set; }
    }

    public sealed class ConfirmForm
    {
        /// <summary>The period the admin previewed: a period changed meanwhile is not confirmed unseen.</summary>
        [Range(1, 36500), Display(Name = "Retention period (days)")]
        public int Days { get; set; }
    }

    public sealed class Run
    {
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset? FinishedAt { get; init; }
        public int CallsAnonymised { get; init; }
        public int FilesDeleted { get; init; }
        public int AuditEntriesPruned { get; init; }
        public string? Error { get; init; }
    }

    public sealed record Model(IReadOnlyList<TeamPolicy> Teams, IReadOnlyList<Run> Runs, int AuditRetentionMonths);

    /// <summary>One call the period reaches, and what would happen to it.</summary>
    public sealed class DueCall
    {
        public int Id { get; init; }
        public string Title { get; init; } = "";
        public DateTimeOffset CallAt { get; init; }
        public string? Agent { get; init; }
        public int Turns { get; init; }
        public int Annotations { get; init; }
        public bool HasAudio { get; init; }
        public IReadOnlyList<CallDataRemoval.Span> Kept { get; set; } = [];
    }

    public sealed record Preview(TeamPolicy Team, DateTimeOffset Cutoff, IReadOnlyList<DueCall> Calls, int Total);

    public const int PreviewLimit = 200;

    public sealed class Handler(IDbConnectionFactory db, TimeProvider clock, AuditLog audit, IConfiguration configuration)
    {
        public async Task<Model> LoadAsync(CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var teams = await TeamsAsync(connection, null);
            var runs = await connection.QueryAsync<Run>(
                $"SELECT StartedAt, FinishedAt, CallsAnonymised, FilesDeleted, AuditEntriesPruned, Error FROM RetentionRun ORDER BY Id DESC {db.Dialect.Page}",
                new { Offset = 0, Limit = 10 });
            return new Model(teams, runs.ToList(), ApplyRetention.AuditRetentionMonths(configuration));
        }

        public async Task<TeamPolicy?> FindAsync(int teamId, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            return (await TeamsAsync(connection, teamId)).SingleOrDefault();
        }

        /// <summary>Sets (or clears) the team's period; a changed period waits for a new confirmation.</summary>
        public async Task<Outcome<TeamPolicy>> SetAsync(int teamId, Form form, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            var changed = await connection.ExecuteAsync(
                """
                UPDATE Team SET RetentionDays = @Days, RetentionConfirmedAt = NULL
                WHERE Id = @teamId AND (RetentionDays IS NULL AND @Days IS NOT NULL OR RetentionDays IS NOT NULL AND @Days IS NULL OR RetentionDays <> @Days)
                """, new { teamId, form.Days });
            if ((await TeamsAsync(connection, teamId)).SingleOrDefault() is not { } team)
                return Outcome.NotFound;
            if (changed > 0)
                await audit.RecordAsync(AuditActions.RetentionSet, "Team", teamId,
                    form.Days is { } days ? $"{team.Name}: {days} days, not applied until confirmed" : $"{team.Name}: keep forever", ct);
            return Outcome.Done(team);
        }

        /// <summary>The calls the team's period reaches now (the first <see cref="PreviewLimit"/>), with what would be kept.</summary>
        public async Task<Preview?> PreviewAsync(int teamId, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            if ((await TeamsAsync(connection, teamId)).SingleOrDefault() is not { RetentionDays: { } days } team)
                return null;
            var cutoff = clock.GetUtcNow().AddDays(-days);
            var total = await connection.ExecuteScalarAsync<int>(
                $"SELECT COUNT(*) FROM Call c WHERE {ApplyRetention.DueWhere}", new { teamId, cutoff });
            var calls = (await connection.QueryAsync<DueCall>(
                $"""
                SELECT c.Id, c.Title, c.CallAt, COALESCE(u.DisplayName, c.AgentName) AS Agent,
                       (SELECT COUNT(*) FROM Segment s WHERE s.CallId = c.Id) AS Turns,
                       (SELECT COUNT(*) FROM Annotation a WHERE a.CallId = c.Id AND a.DeletedAt IS NULL) AS Annotations,
                       CASE WHEN r.Format = '{RecordingFiles.RemovedFormat}' AND r.PlaybackPath IS NULL THEN 0 ELSE 1 END AS HasAudio
                FROM Call c LEFT JOIN Recording r ON r.CallId = c.Id LEFT JOIN UserAccount u ON u.Id = c.AgentUserId
                WHERE {ApplyRetention.DueWhere}
                ORDER BY c.CallAt, c.Id {db.Dialect.Page}
                """, new { teamId, cutoff, Offset = 0, Limit = PreviewLimit })).ToList();
            foreach (var call in calls)
                call.Kept = await ApplyRetention.KeptSpansAsync(connection, null, call.Id);
            return new Preview(team, cutoff, calls, total);
        }

        /// <summary>Confirms the previewed period: from now on the worker applies it.</summary>
        public async Task<Outcome<TeamPolicy>> ConfirmAsync(int teamId, ConfirmForm form, CancellationToken ct)
        {
            await using var connection = await db.OpenAsync(ct);
            if ((await TeamsAsync(connection, teamId)).SingleOrDefault() is not { } team)
                return Outcome.NotFound;
            if (team.RetentionDays != form.Days)
                return Outcome.Invalid("", "The period changed since this preview was shown: look at the new preview before confirming.");
            await connection.ExecuteAsync("UPDATE Team SET RetentionConfirmedAt = @now WHERE Id = @teamId AND RetentionDays = @Days",
                new { teamId, form.Days, now = clock.GetUtcNow() });
            await audit.RecordAsync(AuditActions.RetentionConfirmed, "Team", teamId, $"{team.Name}: {form.Days} days", ct);
            return Outcome.Done(team);
        }

        private static async Task<IReadOnlyList<TeamPolicy>> TeamsAsync(DbConnection connection, int? teamId) =>
            (await connection.QueryAsync<TeamPolicy>(
                $"""
                SELECT t.Id, t.Name, t.RetentionDays, t.RetentionConfirmedAt,
                       (SELECT COUNT(*) FROM Call c WHERE c.TeamId = t.Id) AS Calls,
                       (SELECT COUNT(*) FROM Call c WHERE c.TeamId = t.Id AND c.RetainedAt IS NOT NULL) AS Retained
                FROM Team t {(teamId is null ? "" : "WHERE t.Id = @teamId")} ORDER BY t.Name
                """, new { teamId })).ToList();
    }
}
