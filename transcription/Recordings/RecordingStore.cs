using CallReview.Transcription.Audio;

namespace CallReview.Transcription.Recordings;

/// <summary>
/// Where recordings live under the data folder: originals content-addressed by sha256
/// (<c>recordings/ab/abcdef….ext</c>), and derived media (playback MP3, waveform peaks) beside them in
/// <c>media/</c>. Paths stored in the database are relative to the data folder so it can move.
/// </summary>
public sealed class RecordingStore(string dataDirectory)
{
    public string DataDirectory { get; } = dataDirectory;

    public string OriginalRelativePath(string sha256, string extension) =>
        Path.Combine("recordings", sha256[..2], sha256 + NormalizeExtension(extension));

    /// <summary>The muted lossless copy that replaces an original holding card data (named by the original's hash, which the row keeps).</summary>
    public static string RedactedRelativePath(string sha256) => Path.Combine("recordings", sha256[..2], sha256 + ".redacted" + MutedCopy.Extension);

    public static string PlaybackRelativePath(string sha256) => Path.Combine("media", sha256[..2], sha256 + ".mp3");

    public static string PeaksRelativePath(string sha256) => Path.Combine("media", sha256[..2], sha256 + ".peaks.json");

    public string FullPath(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(DataDirectory, relativePath));
        if (!full.StartsWith(Path.GetFullPath(DataDirectory) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidOperationException("A recording path points outside the data folder.");
        return full;
    }

    /// <summary>Moves a fully written temporary file into place; an existing file with the same hash is kept as it is.</summary>
    public string StoreOriginal(string tempFile, string sha256, string extension)
    {
        var relative = OriginalRelativePath(sha256, extension);
        var target = FullPath(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
            File.Delete(tempFile);
        else
            File.Move(tempFile, target);
        return relative;
    }

    /// <summary>A temporary file on the same file system as the store, so the final move is an atomic rename.</summary>
    public string NewTempFile()
    {
        var dir = Path.Combine(DataDirectory, "tmp");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, Guid.NewGuid().ToString("N") + ".part");
    }

    private static string NormalizeExtension(string extension)
    {
        var clean = new string(extension.TrimStart('.').ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(8).ToArray());
        return clean.Length == 0 ? ".audio" : "." + clean;
    }
}
