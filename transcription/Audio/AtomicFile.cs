namespace CallReview.Transcription.Audio;

internal static class AtomicFile
{
    /// <summary>
    /// Has <paramref name="writeTemp"/> write a temporary file beside <paramref name="destination"/>, then renames it over the
    /// destination: a reader (the browser streaming a playback copy) sees the old file or the complete new one, never half.
    /// </summary>
    public static async Task WriteAsync(string destination, Func<string, Task> writeTemp)
    {
        var full = Path.GetFullPath(destination);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await writeTemp(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
