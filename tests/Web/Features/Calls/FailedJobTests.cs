using CallReview.Db;
using CallReview.Tests.Web.Features.Review;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Jobs;
using CallReview.Transcription.Whisper;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Calls;

/// <summary>
/// A failed transcription says why in the reader's language on the calls list and the call's page: the worker keeps a
/// stable key with its figures, and the technical detail only admins see. A job failed before keys were kept shows its text.
/// </summary>
public sealed class FailedJobTests(ReviewFixture app) : IClassFixture<ReviewFixture>
{
    private const string Romanian = "Înregistrarea apelului lipsește din folderul de date.";

    [Fact]
    public async Task RecordingGoneFromTheDataFolder_RomanianReviewerReadsWhyInRomanian_OnlyAnAdminSeesTheDetail()
    {
        // The test call's recording row points at a file that was never written, as if it had been deleted since.
        var callId = await app.InsertCallAsync("Lost recording", app.North, app.LeoId);
        await app.Services.GetRequiredService<TranscriptionQueue>().EnqueueAsync(callId, "auto", null, null);
        await app.Services.GetRequiredService<TranscriptionWorker>().RunAsync(stopWhenIdle: true, CancellationToken.None);

        var rita = await app.As(ReviewFixture.Rita);
        foreach (var url in new[] { "/calls", $"/calls/{callId}" })
        {
            var page = await ContentNamesTests.PageAsync(rita, url, "ro");
            Assert.Contains(Romanian, page);
            Assert.DoesNotContain("missing from the data folder", page);
            Assert.DoesNotContain("error-detail", page);
        }
        var admin = await app.AdminAsync();
        foreach (var url in new[] { "/calls", $"/calls/{callId}" })
        {
            var page = await ContentNamesTests.PageAsync(admin, url, "ro");
            Assert.Contains(Romanian, page);
            Assert.Contains("<small class=\"error-detail\">The original recording is missing from the data folder. (", page);
            Assert.Contains(Path.Combine("originals", "test.wav"), page);
        }
    }

    [Fact]
    public async Task JobFailedBeforeKeysWereKept_ReviewerReadsTheGenericReason_OnlyAnAdminSeesItsStoredText()
    {
        // As a job failed before migration 0026: no key, and an Error naming a folder of the server.
        const string folder = "/srv/callreview/data/originals";
        var callId = await app.InsertCallAsync("Failed long ago", app.North, app.LeoId);
        await InsertOldFailureAsync(callId, $"ffmpeg could not open {folder}/2019/a.wav");

        var rita = await app.As(ReviewFixture.Rita);
        foreach (var url in new[] { "/calls", $"/calls/{callId}", $"/api/calls/{callId}" })
        {
            var page = await ContentNamesTests.PageAsync(rita, url, "ro");
            Assert.DoesNotContain(folder, page);
            Assert.DoesNotContain("error-detail", page);
        }
        Assert.Contains("<small class=\"error-text\">Transcrierea a eșuat în mod neașteptat.</small>",
            await ContentNamesTests.PageAsync(rita, $"/calls/{callId}", "ro"));
        Assert.Contains("\"errorCode\":\"failed\"", await rita.GetStringAsync($"/api/calls/{callId}"));
        var admin = await app.AdminAsync();
        foreach (var url in new[] { "/calls", $"/calls/{callId}" })
            Assert.Contains($"<small class=\"error-detail\">ffmpeg could not open {folder}/2019/a.wav</small>", await ContentNamesTests.PageAsync(admin, url, "ro"));
    }

    [Fact]
    public async Task StoredTextsKeyedMigration_GivesAJobFailedBeforeKeysTheKeyItsTextMeans_KeepsTheTextAsTheDetail()
    {
        var callId = await app.InsertCallAsync("Failed before keys", app.North, app.LeoId);
        var noModel = "No whisper model found (looked in /opt/models). Run: dotnet run --project web -- models download base";
        var died = "The worker stopped before finishing, on every attempt.";
        var other = "ffmpeg gave up on frame 12";
        var jobs = new[] { await InsertOldFailureAsync(callId, noModel), await InsertOldFailureAsync(callId, died), await InsertOldFailureAsync(callId, other) };

        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        await connection.ExecuteAsync(Migrator.Load(DatabaseProvider.Sqlite).Single(m => m.Name == "old_job_failures_keyed").Sql);

        var stored = (await connection.QueryAsync<(int Id, string Error, string ErrorKey, string ErrorArgs)>(
            "SELECT Id, Error, ErrorKey, ErrorArgs FROM TranscriptionJob WHERE Id IN @jobs ORDER BY Id", new { jobs })).ToList();
        Assert.Equal(
            [(jobs[0], noModel, JobFailure.NoModel, "[]"), (jobs[1], died, JobFailure.WorkerDied, "[]"), (jobs[2], other, JobFailure.Failed, "[]")],
            stored);
    }

    private async Task<int> InsertOldFailureAsync(int callId, string error)
    {
        await using var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        return await connection.ExecuteScalarAsync<int>(
            "INSERT INTO TranscriptionJob (CallId, Status, Language, MaxAttempts, Error, CreatedAt) VALUES (@callId, 'failed', 'en', 3, @error, @now); SELECT last_insert_rowid();",
            new { callId, error, now = DateTimeOffset.UtcNow });
    }

    public static TheoryData<Exception, string> Failures() => new()
    {
        { new WhisperException(WhisperError.Argument, "unknown language 'xx'"), JobFailure.UnknownLanguage },
        { new WhisperException(WhisperError.Load, "bad magic"), JobFailure.ModelFailed },
        { new WhisperException(WhisperError.Vad, "speech detection failed"), JobFailure.SpeechDetectionFailed },
        { new FileNotFoundException("VAD model not found: /x", "/x"), JobFailure.ModelFailed },
        { AudioRejectedException.LongerThanItsHeaderSaid(600, 90), JobFailure.LongerThanItsHeaderSaid },
        { new TimeoutException("ffmpeg ran longer than 10 min and was stopped."), JobFailure.Failed },
    };

    [Theory, MemberData(nameof(Failures))]
    public void From_AnExceptionOfTheWork_KeepsItsKeyAndItsMessageAsTheDetail(Exception ex, string key)
    {
        var failure = JobFailure.From(ex, "xx");

        Assert.Equal((key, ex.Message), (failure.Key, failure.Detail));
        Assert.Equal(failure.Args, JobFailure.Read(failure.Key, failure.ArgsJson, failure.Detail)!.Args);
    }
}
