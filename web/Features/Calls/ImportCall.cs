using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Text.Json;
using CallReview.Db;
using CallReview.Transcription;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Jobs;
using CallReview.Transcription.Recordings;
using CallReview.Web.Features.Accounts;
using CallReview.Web.Features.Shared;
using CallReview.Web.Infrastructure;
using Dapper;

namespace CallReview.Web.Features.Calls;

/// <summary>
/// Bringing a recording in — from the upload page, <c>POST /api/calls</c> or <c>import &lt;folder&gt;</c>, one
/// pipeline: check it is usable audio, store it content-addressed, create the Call and queue its transcription.
/// The same audio twice gives back the existing call.
/// </summary>
public static class ImportCall
{
    public sealed record Metadata
    {
        [FitsColumn("Call", "Title")] public string? Title { get; init; }
        /// <summary>The agent: a user's email or display name, or just a name.</summary>
        [FitsColumn("Call", "AgentName")] public string? Agent { get; init; }
        [FitsColumn("Team", "Name")] public string? Team { get; init; }
        public DateTimeOffset? StartedAt { get; init; }
        public string? Direction { get; init; }
        public string? Layout { get; init; }
        [FitsColumn("Call", "ExternalRef"), Display(Name = "External reference")] public string? ExternalRef { get; init; }
        /// <summary>The customer's phone number, kept as its digits so access and erasure requests find the call.</summary>
        [FitsColumn("Call", "CustomerPhone")] public string? CustomerPhone { get; init; }
        [FitsColumn("CallTag", "Tag")] public IReadOnlyList<string> Tags { get; init; } = [];
        public bool IsSample { get; init; }
        public string? Language { get; init; }
        /// <summary>False when the caller brings its own transcript (the shipped sample calls).</summary>
        public bool QueueTranscription { get; init; } = true;
    }

    public sealed record Result(int CallId, bool AlreadyExisted, string Status);

    /// <summary>Metadata that cannot be used (unknown team, a team the uploader is not in, a bad layout).</summary>
    public sealed class MetadataRejectedException(string field, Message message) : Exception(message.ToString())
    {
        public string Field { get; } = field;

        /// <summary>The message with its figures apart, for the uploader's language.</summary>
        public Message Refusal { get; } = message;
    }

    public static readonly string[] Directions = ["inbound", "outbound"];

    public sealed class Handler(IDbConnectionFactory db, RecordingStore store, AudioProbe probe, TranscriptionQueue queue,
        TranscriptionSettings settings, TimeProvider clock, ILogger<Handler> logger)
    {
        /// <summary>Imports from a stream (an upload); the stream is copied to a temporary file first, never past the size limit.</summary>
        public async Task<Result> ImportAsync(Stream audio, string fileName, Metadata metadata, CurrentUser? importedBy, CancellationToken ct)
        {
            if (InputLimits.Check(metadata).FirstOrDefault() is { } violation)
                throw new MetadataRejectedException(JsonNamingPolicy.CamelCase.ConvertName(violation.Field), violation.Refusal);
            var temp = store.NewTempFile();
            try
            {
                await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                    await CopyWithLimitAsync(audio, file, settings.Limits.MaxUploadBytes, ct);
                return await ImportTempFileAsync(temp, fileName, metadata, importedBy, ct);
            }
            finally
            {
                if (File.Exists(temp))
                    File.Delete(temp);
            }
        }

        /// <summary>Imports a file that stays where it is (the import command); it is copied into the store.</summary>
        public async Task<Result> ImportFileAsync(string path, Metadata metadata, CurrentUser? importedBy, CancellationToken ct)
        {
            await using var source = File.OpenRead(path);
            return await ImportAsync(source, Path.GetFileName(path), metadata, importedBy, ct);
        }

        private async Task<Result> ImportTempFileAsync(string temp, string fileName, Metadata metadata, CurrentUser? importedBy, CancellationToken ct)
        {
            var info = await probe.ProbeAsync(temp, new AudioLimits(settings.Limits.MaxUploadBytes, settings.Limits.MaxDurationSeconds), ct);
            var sha256 = await FileHash.Sha256Async(temp, ct);

            await using var connection = await db.OpenAsync(ct);
            if (await ExistingCallAsync(connection, sha256) is { } existing)
                return existing;

            var layout = ResolveLayout(metadata.Layout, info.Channels);
            var (teamId, agentUserId, agentName) = await ResolvePeopleAsync(connection, metadata, importedBy);
            var direction = metadata.Direction?.Trim().ToLowerInvariant() is { Length: > 0 } d
                ? Directions.Contains(d) ? d : throw new MetadataRejectedException("direction", "Direction must be inbound or outbound.")
                : null;
            var language = string.IsNullOrWhiteSpace(metadata.Language) ? settings.Whisper.Language
                : LanguageCode.Normalize(metadata.Language) ?? throw new MetadataRejectedException("language", "Language must be auto or a language code such as en, it, ro.");

            var relative = store.StoreOriginal(temp, sha256, Path.GetExtension(fileName));
            await using var transaction = await connection.BeginTransactionAsync(ct);
            try
            {
                var now = clock.GetUtcNow();
                var callId = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("Call",
                    "Title, TeamId, AgentUserId, AgentName, StartedAt, Direction, Layout, ExternalRef, CustomerPhone, DurationMs, IsSample, UploadedByUserId, CreatedAt",
                    "@Title, @teamId, @agentUserId, @agentName, @StartedAt, @direction, @layout, @ExternalRef, @CustomerPhone, @durationMs, @IsSample, @uploadedBy, @now"),
                    new
                    {
                        Title = string.IsNullOrWhiteSpace(metadata.Title) ? ColumnLimits.Fit(Path.GetFileNameWithoutExtension(fileName), "Call", "Title") : metadata.Title.Trim(),
                        teamId, agentUserId, agentName, metadata.StartedAt, direction, layout = layout.ToText(),
                        ExternalRef = metadata.ExternalRef?.Trim(), CustomerPhone = Requests.CustomerRequest.PhoneDigits(metadata.CustomerPhone), durationMs = (long)Math.Round(info.DurationSeconds * 1000),
                        metadata.IsSample, uploadedBy = importedBy?.Id, now,
                    }, transaction);
                await connection.ExecuteAsync(
                    """
                    INSERT INTO Recording (CallId, Sha256, OriginalFileName, OriginalPath, SizeBytes, Format, Codec, Channels, SampleRate, CreatedAt)
                    VALUES (@callId, @sha256, @fileName, @relative, @SizeBytes, @FormatName, @Codec, @Channels, @SampleRate, @now)
                    """, new { callId, sha256, fileName = ColumnLimits.Fit(Path.GetFileName(fileName), "Recording", "OriginalFileName"), relative, info.SizeBytes, info.FormatName, info.Codec, info.Channels, info.SampleRate, now }, transaction);
                await connection.ExecuteAsync("INSERT INTO CallTag (CallId, Tag) VALUES (@callId, @tag)",
                    metadata.Tags.Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct().Select(tag => new { callId, tag }), transaction);
                await transaction.CommitAsync(ct);
                if (metadata.QueueTranscription)
                    await queue.EnqueueAsync(callId, language, model: null, importedBy?.Id, ct);
                logger.LogInformation("Imported call {CallId} from {FileName} ({Seconds:0.0} s, {Channels} ch, {Layout})",
                    callId, fileName, info.DurationSeconds, info.Channels, layout.ToText());
                return new Result(callId, false, metadata.QueueTranscription ? JobStatus.Queued : JobStatus.Done);
            }
            catch (DbException)
            {
                // The same audio imported concurrently trips the unique hash: the other import won.
                await transaction.RollbackAsync(ct);
                if (await ExistingCallAsync(connection, sha256) is { } winner)
                    return winner;
                throw;
            }
        }

        private static async Task<Result?> ExistingCallAsync(DbConnection connection, string sha256)
        {
            var callId = await connection.ExecuteScalarAsync<int?>("SELECT CallId FROM Recording WHERE Sha256 = @sha256", new { sha256 });
            if (callId is not { } id)
                return null;
            var status = await connection.ExecuteScalarAsync<string?>(
                "SELECT Status FROM TranscriptionJob WHERE CallId = @id ORDER BY Id DESC", new { id });
            return new Result(id, true, status ?? JobStatus.Queued);
        }

        private static ChannelLayout ResolveLayout(string? requested, int channels)
        {
            if (string.IsNullOrWhiteSpace(requested))
                return ChannelLayouts.ForChannels(channels, ChannelLayout.AgentLeft);
            if (!ChannelLayouts.TryParse(requested, out var layout))
                throw new MetadataRejectedException("layout", "Layout must be mono, agent-left or agent-right.");
            return ChannelLayouts.ForChannels(channels, layout);
        }

        private static async Task<(int? TeamId, int? AgentUserId, string? AgentName)> ResolvePeopleAsync(DbConnection connection, Metadata metadata, CurrentUser? importedBy)
        {
            int? teamId = null;
            if (!string.IsNullOrWhiteSpace(metadata.Team))
            {
                teamId = await connection.ExecuteScalarAsync<int?>("SELECT Id FROM Team WHERE lower(Name) = lower(@name)", new { name = metadata.Team.Trim() })
                    ?? throw new MetadataRejectedException("team", new Message("There is no team called \"{0}\".", metadata.Team.Trim()));
                if (!CallAccess.MayFileUnder(importedBy, teamId.Value))
                    throw new MetadataRejectedException("team", "You can only add calls to your own teams.");
            }
            else
            {
                teamId = CallAccess.DefaultTeam(importedBy);
            }

            if (string.IsNullOrWhiteSpace(metadata.Agent))
                return (teamId, null, null);
            var agent = metadata.Agent.Trim();
            var users = (await connection.QueryAsync<int>(
                "SELECT Id FROM UserAccount WHERE lower(Email) = lower(@agent) OR lower(DisplayName) = lower(@agent) ORDER BY Id",
                new { agent })).ToList();
            if (users.Count == 0)
                return (teamId, null, agent);
            // The agent's user will see the call: only someone of the call's team (with no team, of the uploader's teams).
            IReadOnlyCollection<int>? teams = teamId is { } team ? [team] : CallAccess.AgentTeams(importedBy);
            if (teams is null)
                return (teamId, users[0], agent);
            var agentUserId = await connection.ExecuteScalarAsync<int?>(
                "SELECT MIN(UserId) FROM TeamMember WHERE UserId IN @users AND TeamId IN @teams", new { users, teams })
                ?? throw new MetadataRejectedException("agent", new Message(teamId is null
                    ? "\"{0}\" is not a member of your teams: a call's agent must belong to its team."
                    : "\"{0}\" is not a member of the call's team: a call's agent must belong to its team.", agent));
            return (teamId, agentUserId, agent);
        }

        private static async Task CopyWithLimitAsync(Stream source, Stream target, long maxBytes, CancellationToken ct)
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > maxBytes)
                    throw new AudioRejectedException(AudioRejection.TooLarge,
                        "The file is larger than the {0} MB limit.", [maxBytes / (1024 * 1024)]);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
    }
}
