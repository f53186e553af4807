using System.Net;
using CallReview.Transcription.Audio;

namespace CallReview.Transcription.Models;

/// <summary>What to fetch: the file name to save as, where from, and the sha256 the finished file must have.</summary>
public sealed record ModelSource(string FileName, Uri Url, string Sha256);

/// <summary>Bytes of the model on disk so far; <see cref="Total"/> is null when the server does not say.</summary>
public readonly record struct DownloadProgress(long Bytes, long? Total);

/// <summary>A model file's sha256 is not the published one (a finished download that fails the check is deleted).</summary>
public sealed class ModelChecksumException(string message) : Exception(message);

/// <summary>
/// Downloads a model into <c>NAME.part</c> beside its destination, resuming a <c>.part</c> left by an earlier
/// attempt with an HTTP Range request, checks the sha256 and only then renames it into place, so the model
/// catalog never sees a partial or corrupt model.
/// </summary>
public sealed class ModelDownloader(HttpClient http)
{
    /// <summary>A connection that delivers nothing for this long is dropped and resumed, rather than hanging forever.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Broken connections are resumed from the <c>.part</c> this many times before giving up.</summary>
    public int Attempts { get; init; } = 3;

    public sealed record Result(string Path, bool AlreadyPresent);

    public async Task<Result> DownloadAsync(ModelSource source, string directory, IProgress<DownloadProgress>? progress = null,
        CancellationToken ct = default)
    {
        var expected = source.Sha256.Trim().ToLowerInvariant();
        Directory.CreateDirectory(directory);
        var final = Path.Combine(directory, source.FileName);
        var part = final + ".part";

        if (File.Exists(final))
        {
            var existing = await FileHash.Sha256Async(final, ct);
            if (existing == expected)
                return new Result(final, true);
            // Never overwrite a model someone may be using; they decide what to do with it.
            throw new ModelChecksumException($"{final} already exists with sha256 {existing}, not {expected}; delete it to download again");
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await FetchAsync(source.Url, part, progress, ct);
                break;
            }
            catch (Exception e) when (attempt < Attempts && !ct.IsCancellationRequested && IsTransient(e))
            {
                // The .part keeps what arrived; the next attempt asks for the rest.
                await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
            }
        }

        var actual = await FileHash.Sha256Async(part, ct);
        if (actual != expected)
        {
            File.Delete(part);
            throw new ModelChecksumException(
                $"sha256 of the download from {source.Url} is {actual}, expected {expected}; the file was deleted");
        }
        File.Move(part, final, overwrite: false);
        return new Result(final, false);
    }

    /// <summary>Broken or stalled connections and server errors; a 404 or 403 will not get better by asking again.</summary>
    private static bool IsTransient(Exception e) => e switch
    {
        HttpRequestException http => http.StatusCode is null || (int)http.StatusCode >= 500,
        IOException or TimeoutException => true,
        _ => false,
    };

    private async Task FetchAsync(Uri url, string part, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        // FileShare.None also locks the file (flock on Linux): a second download of the same model fails instead of interleaving.
        await using var file = new FileStream(part, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        var offset = file.Length;

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (offset > 0)
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(offset, null);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);

        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
            return; // Everything had arrived before; the checksum decides whether the .part is right.
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);

        var total = response.Content.Headers.ContentLength;
        if (response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == offset)
        {
            total = response.Content.Headers.ContentRange.Length ?? total + offset;
            file.Seek(offset, SeekOrigin.Begin);
        }
        else
        {
            // The server ignored the Range header and sends the whole file: start over.
            offset = 0;
            file.SetLength(0);
        }

        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[1 << 16];
        var written = offset;
        progress?.Report(new DownloadProgress(written, total));
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        while (true)
        {
            stall.CancelAfter(StallTimeout);
            int read;
            try
            {
                read = await body.ReadAsync(buffer, stall.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"no data from {url} for {StallTimeout.TotalSeconds:0} s");
            }
            if (read == 0)
                break;
            await file.WriteAsync(buffer.AsMemory(0, read), ct);
            written += read;
            progress?.Report(new DownloadProgress(written, total));
        }
        if (total is { } length && written < length)
            throw new IOException($"the connection to {url} closed after {written} of {length} bytes");
    }
}
