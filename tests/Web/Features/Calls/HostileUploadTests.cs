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
        var file = new ByteArrayContent(File.ReadAllBytes(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(file, field, fileName);
        return content;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>Each file of the corpus: what it is called in the upload, and what the uploader is told (null: accepted).</summary>
    public sealed record Case(string FileName, int Status, string? Message, Func<HostileCorpus, Task<string>> Make);

    public static readonly Dictionary<string, Case> Cases = new()
    {
        ["empty"] = new("call.wav", 422, "The file is empty.", c => c.BytesAsync("empty.wav", [])),
        ["one byte"] = new("call.mp3", 422, "could not be read as audio", c => c.BytesAsync("one.mp3", [0x49])),
        ["text"] = new("notes.wav", 422, "could not be read as audio", c => c.BytesAsync("notes.wav", Encoding.UTF8.GetBytes("Call notes: customer wants a refund.\n"))),
        ["png"] = new("picture.png", 422, "The file contains no audio (it holds video).",
            c => c.FfmpegAsync("picture.png", "-f", "lavfi", "-i", "color=c=red:s=32x32", "-frames:v", "1")),
        ["zip"] = new("recordings.zip", 422, "could not be read as audio", c => c.ZipAsync()),
        ["truncated wav header"] = new("call.wav", 422, "could not be read as audio", async c => await c.HeadAsync(await c.ToneAsync("whole.wav", 2), 40)),
        ["truncated wav"] = new("call.wav", 422, "too short or cut off (truncated)", async c => await c.HeadAsync(await c.ToneAsync("whole.wav", 2), 100)),
        ["truncated mp3"] = new("call.mp3", 422, "could not be read as audio", async c => await c.HeadAsync(await c.FfmpegAsync("whole.mp3",
            "-f", "lavfi", "-i", "sine=frequency=500:sample_rate=16000:duration=2", "-c:a", "libmp3lame"), 300)),
        ["wav claiming 4 GB"] = new("claims-4gb.wav", 202, null, c => c.WavClaimingFourGigabytesAsync()),
        ["8 channels"] = new("eight.wav", 202, null, c => c.FfmpegAsync("eight.wav", "-f", "lavfi", "-i", "sine=frequency=610:sample_rate=16000:duration=2",
            "-af", "pan=7.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0|c6=c0|c7=c0")),
        ["0.1 s"] = new("tenth.wav", 202, null, c => c.ToneAsync("tenth.wav", 0.1, 620)),
        ["0.05 s"] = new("twentieth.wav", 422, "too short or cut off", c => c.ToneAsync("twentieth.wav", 0.05, 630)),
        ["over-long honest header"] = new("long.wav", 422, "The recording is 11:00 long; the longest accepted is 10:00.",
            c => c.FfmpegAsync("long.wav", "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "660", "-c:a", "pcm_u8")),
        ["over the size limit"] = new("big.wav", 413, "larger than the 8 MB limit", c => c.BytesAsync("big.wav", new byte[9 << 20])),
        ["path traversal"] = new("../../../../tmp/callreview-evil.wav", 202, null, c => c.ToneAsync("a.wav", 1, 640)),
        ["backslash traversal"] = new("..\\..\\callreview-evil.wav", 202, null, c => c.ToneAsync("b.wav", 1, 650)),
        ["non-ASCII name"] = new("Ünïcødé — 电话 📞 <b>.wav", 202, null, c => c.ToneAsync("c.wav", 1, 660)),
    };

    public static TheoryData<string, bool> Uploads()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in Cases.Keys)
        {
            data.Add(name, true);
            data.Add(name, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Uploads))]
    public async Task Upload_OfTheHostileCorpus_SaysWhatIsWrong_LeavesNothingHalfWritten_AndKeepsServing(string name, bool api)
    {
        var @case = Cases[name];
        // The same bytes through the other endpoint would be the existing call: each endpoint gets its own copy.
        var path = await @case.Make(_app.Corpus);
        if (!api && @case.Status == 202)
            path = await _app.Corpus.ToneAsync($"page-{Math.Abs(name.GetHashCode())}.wav", 1, 700 + Cases.Keys.ToList().IndexOf(name) * 10);
        var callsBefore = await _app.QueryAsync<int>("SELECT COUNT(*) FROM Call");
        var filesBefore = DataFiles();

        string text;
        if (api)
        {
            var response = await _app.Api().PostAsync("/api/calls", Form(path, @case.FileName, "file"));
            Assert.Equal(@case.Status, (int)response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            if (@case.Message is { } message)
                Assert.Contains(message, (await JsonAsync(response)).GetProperty("detail").GetString());
        }
        else
        {
            var page = await _app.SignedInAsync("host@test.local", "hostile-pass-1");
            var form = Form(path, @case.FileName, "files");
            form.Add(new StringContent(await page.TokenFromAsync("/calls/upload")), "__RequestVerificationToken");
            var response = await page.PostAsync("/calls/upload", form);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            Assert.Contains(@case.Message is { } message ? WebUtility.HtmlEncode(message) : "queued for transcription", text);
        }

        var accepted = @case.Status == 202;
        Assert.Equal(callsBefore + (accepted ? 1 : 0), await _app.QueryAsync<int>("SELECT COUNT(*) FROM Call"));
        var added = DataFiles().Except(filesBefore).ToList();
        Assert.Equal(accepted ? 1 : 0, added.Count);
        Assert.All(added, f => Assert.StartsWith(Path.Combine(_app.DataDirectory, "recordings") + Path.DirectorySeparatorChar, f));
        Assert.Equal(0, await _app.QueryAsync<int>("SELECT COUNT(*) FROM Call c WHERE NOT EXISTS (SELECT 1 FROM Recording r WHERE r.CallId = c.Id)"));
        Assert.False(File.Exists("/tmp/callreview-evil.wav"));
        Assert.DoesNotContain("<b>", text);
        Assert.Equal(HttpStatusCode.OK, (await _app.NewClient().GetAsync("/healthz")).StatusCode);
    }

    /// <summary>Every file in the data folder except the database and its journal: recordings, temporary uploads, media.</summary>
    private HashSet<string> DataFiles() => Directory.EnumerateFiles(_app.DataDirectory, "*", SearchOption.AllDirectories)
        .Where(f => !Path.GetFileName(f).StartsWith("callreview.db", StringComparison.Ordinal) && !f.Contains(Path.DirectorySeparatorChar + "keys" + Path.DirectorySeparatorChar))
        .ToHashSet();

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
        Assert.Equal(JobFailure.LongerThanItsHeaderSaid, status.GetProperty("errorCode").GetString());
        var sha = await _app.QueryAsync<string>("SELECT Sha256 FROM Recording WHERE CallId = @id", new { id });
        var media = Path.Combine(_app.DataDirectory, "media");
        Assert.Empty(Directory.Exists(media) ? Directory.EnumerateFiles(media, sha + "*", SearchOption.AllDirectories) : []);
        var reviewer = await _app.SignedInAsync("host@test.local", "hostile-pass-1");
        Assert.Contains("longer than the longest accepted (10:00)", await reviewer.GetStringAsync("/calls"));
        Assert.Contains("mai lungă decât maximul acceptat (10:00)", await ContentNamesTests.PageAsync(reviewer, "/calls", "ro"));
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

    public async Task<string> BytesAsync(string name, byte[] bytes)
    {
        await File.WriteAllBytesAsync(PathOf(name), bytes);
        return PathOf(name);
    }

    /// <summary>A mono 16 kHz WAV of a sine tone; the frequency makes each file's bytes (and so its call) its own.</summary>
    public Task<string> ToneAsync(string name, double seconds, int frequency = 440) =>
        FfmpegAsync(name, "-f", "lavfi", "-i", FormattableString.Invariant($"sine=frequency={frequency}:sample_rate=16000:duration={seconds}"));

    /// <summary>The first <paramref name="bytes"/> bytes of a file, as a cut-off upload would be.</summary>
    public async Task<string> HeadAsync(string path, int bytes)
    {
        var head = (await File.ReadAllBytesAsync(path))[..bytes];
        return await BytesAsync("head-" + Path.GetFileName(path), head);
    }

    public async Task<string> ZipAsync()
    {
        var path = PathOf("recordings.zip");
        await using (var file = File.Create(path))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            await using var entry = zip.CreateEntry("call.wav").Open();
            await entry.WriteAsync(await File.ReadAllBytesAsync(await ToneAsync("zipped.wav", 1)));
        }
        return path;
    }

    /// <summary>One second of audio whose RIFF and data sizes claim about 4 GB.</summary>
    public async Task<string> WavClaimingFourGigabytesAsync()
    {
        var bytes = await File.ReadAllBytesAsync(await ToneAsync("honest.wav", 1, 670));
        BitConverter.TryWriteBytes(bytes.AsSpan(4), 0xFFFFFFF0u);
        var data = bytes.AsSpan().IndexOf("data"u8);
        BitConverter.TryWriteBytes(bytes.AsSpan(data + 4), 0xFFFFFF00u);
        return await BytesAsync("claims-4gb.wav", bytes);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
