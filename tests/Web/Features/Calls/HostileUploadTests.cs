using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CallReview.Db;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Review;
using CallReview.Transcription.Jobs;
using CallReview.Web.Features.Api;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Calls;

/// <summary>
/// Hostile and odd uploads, generated here (no committed binaries), through the real upload page and <c>POST /api/calls</c>:
/// each gets a message that says what is wrong, nothing half-written stays in the data folder or the database, and the
/// server keeps serving. Limits are lowered (10 min, 8 MB) so over-long and oversized files stay small and quick.
/// </summary>
public sealed class HostileUploadTests : IClassFixture<HostileUploadTests.Fixture>
{
    public const double MaxSeconds = 600;
    public const long MaxBytes = 8L << 20;

    public sealed class Fixture : CallReviewApp, IAsyncLifetime
    {
        public string Key { get; private set; } = "";
        public HostileCorpus Corpus { get; } = new();

        public Fixture()
        {
            Settings["CallReview:Limits:MaxDurationSeconds"] = MaxSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Settings["CallReview:Limits:MaxUploadBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Settings["CallReview:Whisper:ModelPath"] = TestData.Model("ggml-tiny.en-q8_0.bin");
            Settings["CallReview:Whisper:Threads"] = "2";
        }

        public async Task InitializeAsync()
        {
            var admin = await AdminAsync();
            var team = await admin.CreateTeamAsync("Hostile");
            await admin.CreateUserAsync("host@test.local", "Host Ile", "hostile-pass-1", ["reviewer"], team);
            using var scope = Services.CreateScope();
            Key = await scope.ServiceProvider.GetRequiredService<ApiKeyStore>().CreateAsync(await this.UserIdAsync("host@test.local"), "test", default);
        }

        Task IAsyncLifetime.DisposeAsync()
        {
            Corpus.Dispose();
            return Task.CompletedTask;
        }

        public HttpClient Api()
        {
            var client = NewClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", Key);
            return client;
        }

        public Task RunWorkerUntilIdleAsync() =>
            Services.GetRequiredService<TranscriptionWorker>().RunAsync(stopWhenIdle: true, CancellationToken.None);

        public async Task<T> QueryAsync<T>(string sql, object? parameters = null)
        {
            await using var connection = await Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(default);
            return await connection.ExecuteScalarAsync<T>(sql, parameters) ?? throw new InvalidOperationException(sql);
        }
    }

    private readonly Fixture _app;

    public HostileUploadTests(Fixture app) => _app = app;

    private static MultipartFormDataContent Form(string path, string fileName, string field)
    {
        var content = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(file, field, fileName);
        return content;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Api_AnMp3WhoseHeaderUnderstatesItsLength_FailsTheJobAtTheLimit_WithAClearMessageOnTheCall()
    {
        // 5 s at 160 kbit/s, then 30 min at 8 kbit/s, no Xing header: ffprobe measures the whole file at the first
        // frames' bit rate (about 1.5 min), under the 10 min limit, so only decoding finds out.
        var path = await _app.Corpus.DishonestMp3Async(TimeSpan.FromMinutes(30));

        var response = await _app.Api().PostAsync("/api/calls", Form(path, "long-call.mp3", "file"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await JsonAsync(response)).GetProperty("id").GetInt32();
        await _app.RunWorkerUntilIdleAsync();
        var status = await JsonAsync(await _app.Api().GetAsync($"/api/calls/{id}"));
        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.StartsWith("The recording is longer than the longest accepted (10:00)", status.GetProperty("error").GetString());
        var sha = await _app.QueryAsync<string>("SELECT Sha256 FROM Recording WHERE CallId = @id", new { id });
        var media = Path.Combine(_app.DataDirectory, "media");
        Assert.Empty(Directory.Exists(media) ? Directory.EnumerateFiles(media, sha + "*", SearchOption.AllDirectories) : []);
        var reviewer = await _app.SignedInAsync("host@test.local", "hostile-pass-1");
        Assert.Contains("longer than the longest accepted (10:00)", await reviewer.GetStringAsync("/calls"));
    }
}

/// <summary>Files made on the spot with ffmpeg and a few bytes of hand-built headers, in a temporary folder.</summary>
public sealed class HostileCorpus : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("callreview-hostile-").FullName;

    private string PathOf(string name) => Path.Combine(_dir, name);

    public async Task<string> FfmpegAsync(string name, params string[] arguments)
    {
        var path = PathOf(name);
        await CallReview.Transcription.Audio.ProcessRunner.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-y", .. arguments, path], TimeSpan.FromMinutes(2));
        return path;
    }

    /// <summary>An MP3 whose first 5 s are at 160 kbit/s and the rest at 8 kbit/s, with no Xing header to give the real length.</summary>
    public async Task<string> DishonestMp3Async(TimeSpan rest)
    {
        var loud = await FfmpegAsync("loud.mp3", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=5",
            "-c:a", "libmp3lame", "-b:a", "160k", "-write_xing", "0", "-id3v2_version", "0");
        var quiet = await FfmpegAsync("quiet.mp3", "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", ((int)rest.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:a", "libmp3lame", "-b:a", "8k", "-write_xing", "0", "-id3v2_version", "0");
        var path = PathOf($"dishonest-{(int)rest.TotalSeconds}.mp3");
        await using (var output = File.Create(path))
        {
            foreach (var part in new[] { loud, quiet })
            {
                await using var input = File.OpenRead(part);
                await input.CopyToAsync(output);
            }
        }
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
