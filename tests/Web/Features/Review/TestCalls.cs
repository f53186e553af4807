using System.Diagnostics;
using System.Text.Json;
using CallReview.Db;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Review;

/// <summary>
/// Puts transcribed and redacted calls straight into the app's database (rows as ingestion would leave them), with an
/// optional real MP3 and peaks file in the data folder, so review tests do not depend on transcription.
/// </summary>
public static class TestCalls
{
    public sealed record Turn(string Speaker, double Start, double End, string Text);

    public static readonly Turn[] Conversation =
    [
        new("agent", 0.5, 3.5, "Thank you for calling, this is Sam, how can I help?"),
        new("customer", 4.0, 9.0, "My invoice is wrong again and nobody called me back last week."),
        new("agent", 9.5, 12.0, "Let me look at that for you."),
        new("customer", 12.5, 17.0, "I have been waiting for a refund for a month."),
        new("agent", 17.5, 21.0, "Refunds take time, there is nothing I can do."),
        new("customer", 21.5, 26.0, "That is not acceptable, I want to speak to a manager."),
        new("agent", 26.5, 29.5, "Sure, I will transfer you now."),
    ];

    public static async Task<int> UserIdAsync(this CallReviewApp app, string email)
    {
        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT Id FROM UserAccount WHERE Email = @email", new { email });
    }

    /// <summary>Inserts a call of <paramref name="durationSeconds"/> with its transcript; with audio, a sine MP3 and its peaks JSON.</summary>
    public static async Task<int> InsertCallAsync(this CallReviewApp app, string title, int? teamId, int? agentUserId,
        IReadOnlyList<Turn>? turns = null, double durationSeconds = 30, bool withAudio = false, string layout = "agent-left", params string[] tags)
    {
        turns ??= Conversation;
        var db = app.Services.GetRequiredService<IDbConnectionFactory>();
        await using var connection = await db.OpenAsync();
        var now = DateTimeOffset.UtcNow;
        var callId = await connection.ExecuteScalarAsync<int>(db.Dialect.InsertReturningId("Call",
            "Title, TeamId, AgentUserId, AgentName, StartedAt, Layout, DurationMs, Language, IsSample, CreatedAt",
            "@title, @teamId, @agentUserId, @agentName, @now, @layout, @durationMs, 'en', 0, @now"),
            new { title, teamId, agentUserId, agentName = agentUserId is null ? "Sam Agent" : null, now, layout, durationMs = (long)(durationSeconds * 1000) });
        await connection.ExecuteAsync(
            "INSERT INTO Segment (CallId, Seq, Channel, Speaker, StartMs, EndMs, Text) VALUES (@callId, @Seq, @Channel, @Speaker, @StartMs, @EndMs, @Text)",
            turns.Select((t, i) => new
            {
                callId, Seq = i, Channel = t.Speaker == "agent" ? 0 : 1, t.Speaker,
                StartMs = (long)(t.Start * 1000), EndMs = (long)(t.End * 1000), t.Text,
            }));
        foreach (var tag in tags)
            await connection.ExecuteAsync("INSERT INTO CallTag (CallId, Tag) VALUES (@callId, @tag)", new { callId, tag });

        string? playback = null, peaks = null;
        if (withAudio)
        {
            var folder = Path.Combine(app.DataDirectory, "test-audio");
            Directory.CreateDirectory(folder);
            playback = Path.Combine("test-audio", $"call-{callId}.mp3");
            peaks = Path.Combine("test-audio", $"call-{callId}.peaks.json");
            await WriteSineMp3Async(Path.Combine(app.DataDirectory, playback), durationSeconds);
            await File.WriteAllTextAsync(Path.Combine(app.DataDirectory, peaks), PeaksJson(durationSeconds));
        }
        await connection.ExecuteAsync(
            """
            INSERT INTO Recording (CallId, Sha256, OriginalFileName, OriginalPath, SizeBytes, Format, Codec, Channels, SampleRate, PlaybackPath, PeaksPath, RedactedAt, CreatedAt)
            VALUES (@callId, @sha, 'test.wav', 'originals/test.wav', 1, 'wav', 'pcm_s16le', 2, 16000, @playback, @peaks, @now, @now)
            """, new { callId, sha = Guid.NewGuid().ToString("N"), playback, peaks, now });
        return callId;
    }

    /// <summary>Peaks as the app serves them: two channels of int8 min/max pairs, 10 per second.</summary>
    public static string PeaksJson(double durationSeconds)
    {
        const int perSecond = 10;
        var count = (int)(durationSeconds * perSecond);
        int[] Channel(int phase) => Enumerable.Range(0, count)
            .SelectMany(i => { var v = (int)(60 + 50 * Math.Sin((i + phase) / 7.0)); return new[] { -v, v }; }).ToArray();
        return JsonSerializer.Serialize(new
        {
            version = 1, channels = 2, sampleRate = 16000, peaksPerSecond = perSecond, duration = durationSeconds, bits = 8,
            data = new[] { Channel(0), Channel(20) },
        });
    }

    public static async Task WriteSineMp3Async(string path, double durationSeconds)
    {
        var info = new ProcessStartInfo("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
            $"sine=frequency=440:duration={durationSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            "-ac", "2", "-b:a", "64k", path]) { RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ffmpeg failed: {error}");
    }
}
