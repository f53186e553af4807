using System.Security.Cryptography;
using CallReview.Db;
using CallReview.Transcription;
using CallReview.Transcription.Models;
using CallReview.Web.Features.Models;
using CallReview.Web.Infrastructure;

namespace CallReview.Tests.Transcription.Models;

/// <summary>Download, resume and checksum logic against a local server; nothing reaches the real model host.</summary>
public sealed class ModelDownloaderTests : IDisposable
{
    private const string FileName = "ggml-test.bin";
    private readonly string _dir = Directory.CreateTempSubdirectory("callreview-models-").FullName;
    private readonly byte[] _model = RandomBytes(1_000_000, seed: 1);

    private string Final => Path.Combine(_dir, FileName);
    private string Part => Final + ".part";

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Downloads_and_verifies_a_model_and_reports_progress()
    {
        await using var server = await ModelServer.StartAsync(_model, supportsRanges: true);
        var reports = new List<DownloadProgress>();

        var result = await Download(server.Url, Sha256(_model), new SynchronousProgress(reports.Add));

        Assert.False(result.AlreadyPresent);
        Assert.Equal(Final, result.Path);
        Assert.Equal(_model, await File.ReadAllBytesAsync(Final));
        Assert.False(File.Exists(Part));
        Assert.Equal(new DownloadProgress(_model.Length, _model.Length), reports[^1]);
        Assert.Equal(new ModelServer.Request(null, 200), Assert.Single(server.Requests));
    }

    [Fact]
    public async Task Resumes_a_partial_download_with_a_range_request()
    {
        await using var server = await ModelServer.StartAsync(_model, supportsRanges: true);
        await File.WriteAllBytesAsync(Part, _model[..400_000]);

        await Download(server.Url, Sha256(_model));

        Assert.Equal(new ModelServer.Request("bytes=400000-", 206), Assert.Single(server.Requests));
        Assert.Equal(_model, await File.ReadAllBytesAsync(Final));
        Assert.False(File.Exists(Part));
    }

    [Fact]
    public async Task Starts_over_when_the_server_ignores_the_range()
    {
        await using var server = await ModelServer.StartAsync(_model, supportsRanges: false);
        // Bytes that are not the model's start: appending to them would fail the checksum.
        await File.WriteAllBytesAsync(Part, RandomBytes(400_000, seed: 2));

        await Download(server.Url, Sha256(_model));

        Assert.Equal(new ModelServer.Request("bytes=400000-", 200), Assert.Single(server.Requests));
        Assert.Equal(_model, await File.ReadAllBytesAsync(Final));
    }

    [Fact]
    public async Task A_checksum_mismatch_deletes_the_download()
    {
        await using var server = await ModelServer.StartAsync(_model, supportsRanges: true);
        var published = Sha256(RandomBytes(10, seed: 3));

        var e = await Assert.ThrowsAsync<ModelChecksumException>(() => Download(server.Url, published));

        Assert.Contains(published, e.Message);
        Assert.Contains(Sha256(_model), e.Message);
        Assert.False(File.Exists(Final));
        Assert.False(File.Exists(Part));
    }

    [Fact]
    public async Task A_model_already_in_place_is_checked_not_fetched_again()
    {
        await using var server = await ModelServer.StartAsync(_model, supportsRanges: true);
        await File.WriteAllBytesAsync(Final, _model);

        var result = await Download(server.Url, Sha256(_model));

        Assert.True(result.AlreadyPresent);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task An_http_error_fails_without_a_model()
    {
        await using var server = await ModelServer.StartAsync(_model, supportsRanges: true);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => Download(new Uri(server.Url, "/missing.bin"), Sha256(_model)));

        Assert.Contains("404", e.Message);
        Assert.False(File.Exists(Final));
    }

    [Fact]
    public async Task The_command_downloads_with_url_and_sha256_overrides()
    {
        await using var server = await ModelServer.StartAsync(_model, supportsRanges: true);
        var command = Command();

        var exit = await command.RunAsync(["download", "test", "--url", server.Url.ToString(), "--sha256", Sha256(_model).ToUpperInvariant(), "--to", _dir],
            CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Equal(_model, await File.ReadAllBytesAsync(Final));
    }

    [Theory]
    [InlineData("download")]
    [InlineData("download", "not-a-published-model")]
    [InlineData("download", "../escape", "--sha256", "0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("download", "base", "--sha256", "abc")]
    [InlineData("download", "base", "--url", "file:///etc/passwd")]
    [InlineData("upload")]
    public async Task The_command_refuses_bad_arguments(params string[] args)
    {
        await Assert.ThrowsAsync<CommandUsageException>(() => Command().RunAsync(args, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public void Every_known_model_has_a_sha256_and_a_public_url()
    {
        Assert.Contains("base", KnownModels.Sha256.Keys);
        Assert.All(KnownModels.Sha256, m =>
        {
            Assert.Matches("^[0-9a-f]{64}$", m.Value);
            Assert.Equal($"https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-{m.Key}.bin", KnownModels.Url(m.Key).ToString());
        });
    }

    private async Task<ModelDownloader.Result> Download(Uri url, string sha256, IProgress<DownloadProgress>? progress = null)
    {
        using var http = new HttpClient();
        return await new ModelDownloader(http) { Attempts = 1 }.DownloadAsync(new ModelSource(FileName, url, sha256), _dir, progress);
    }

    private ModelsCommand Command() =>
        new(new CallReviewOptions { DataDirectory = _dir, Database = DatabaseOptions.Sqlite(_dir) }, new ModelCatalog(null, [_dir]));

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the test wants every report in order before it asserts.</summary>
    private sealed class SynchronousProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
