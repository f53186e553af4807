using System.Text.RegularExpressions;
using CallReview.Transcription;
using CallReview.Transcription.Models;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Models;

/// <summary>
/// <c>models list</c>: the models this installation finds and the names <c>models download</c> knows.
/// <c>models download &lt;name&gt; [--to &lt;dir&gt;] [--url &lt;url&gt;] [--sha256 &lt;hex&gt;]</c>: fetches
/// <c>ggml-NAME.bin</c> from whisper.cpp's public models into <c>&lt;data&gt;/models/</c> (or <c>--to</c>), resuming an
/// interrupted download and checking the published sha256. <c>--url</c> and <c>--sha256</c> override the built-in
/// table, for a mirror or a model it does not list.
/// </summary>
public sealed partial class ModelsCommand(CallReviewOptions options, ModelCatalog catalog) : ICliCommand
{
    public string Name => "models";
    public string Usage => "models list | models download <name> [--to <dir>] [--url <url>] [--sha256 <hex>]";
    public bool UsesDatabase => false;

    /// <summary>Where downloads go by default: the first folder the model catalog looks in.</summary>
    public string DefaultDirectory => Path.Combine(options.DataDirectory, "models");

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct) => args.FirstOrDefault() switch
    {
        "list" => Task.FromResult(List()),
        "download" => DownloadAsync(args, ct),
        null => throw new CommandUsageException("missing list or download"),
        var other => throw new CommandUsageException($"unknown subcommand '{other}'"),
    };

    private int List()
    {
        var found = catalog.Available();
        Console.WriteLine(found.Count == 0 ? catalog.MissingModelAdvice : "Installed:");
        foreach (var model in found)
            Console.WriteLine($"  {model.Name,-32} {model.SizeBytes / 1e6,8:0.0} MB  {model.Path}");
        Console.WriteLine($"Downloadable (models download <name>): {string.Join(", ", KnownModels.Sha256.Keys)}");
        return 0;
    }

    private async Task<int> DownloadAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        if (args.Count < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
            throw new CommandUsageException("missing the model name, e.g. base");
        var name = args[1];
        // The name becomes a file name: no separators or "..".
        if (!ModelName().IsMatch(name))
            throw new CommandUsageException($"'{name}' is not a model name (letters, digits, '.', '-', '_')");
        var sha256 = CommandLine.Option(args, "--sha256") ?? KnownModels.Sha256.GetValueOrDefault(name)
            ?? throw new CommandUsageException($"no published sha256 known for '{name}'; pass --sha256, or use one of: {string.Join(", ", KnownModels.Sha256.Keys)}");
        if (!Sha256Hex().IsMatch(sha256))
            throw new CommandUsageException("--sha256 must be 64 hex digits");
        var url = CommandLine.Option(args, "--url") is { } u
            ? Uri.TryCreate(u, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" ? parsed : throw new CommandUsageException($"'{u}' is not an http(s) URL")
            : KnownModels.Url(name);
        var directory = CommandLine.Option(args, "--to") is { } to ? CommandLine.UserPath(to) : DefaultDirectory;

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("CallReview-models/1.0");
        Console.WriteLine($"Downloading {url} to {directory}");
        var result = await new ModelDownloader(http).DownloadAsync(
            new ModelSource(KnownModels.FileName(name), url, sha256), directory, new ProgressPrinter(), ct);
        Console.WriteLine(result.AlreadyPresent
            ? $"{result.Path} is already there and its sha256 matches."
            : $"Saved {result.Path} (sha256 verified).");
        return 0;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")]
    private static partial Regex ModelName();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Hex();

    /// <summary>One line per 10 % (or per 10 MB when the size is unknown), so progress reads well in a terminal and in a log.</summary>
    private sealed class ProgressPrinter : IProgress<DownloadProgress>
    {
        private long _lastStep = -1;

        public void Report(DownloadProgress value)
        {
            var step = value.Total is { } total && total > 0 ? value.Bytes * 10 / total : value.Bytes / 10_000_000;
            if (step == _lastStep)
                return;
            _lastStep = step;
            Console.WriteLine(value.Total is { } t
                ? $"  {value.Bytes / 1e6,9:0.0} / {t / 1e6:0.0} MB ({100.0 * value.Bytes / Math.Max(1, t):0}%)"
                : $"  {value.Bytes / 1e6,9:0.0} MB");
        }
    }
}
