using System.Security.Cryptography;

namespace CallReview.Transcription.Audio;

public static class FileHash
{
    /// <summary>Lower-case hex SHA-256 of a file, read as a stream so large recordings aren't loaded into memory.</summary>
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return Convert.ToHexStringLower(hash);
    }
}
