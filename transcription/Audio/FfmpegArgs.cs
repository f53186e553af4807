namespace CallReview.Transcription.Audio;

/// <summary>Argument pieces shared by every ffmpeg/ffprobe call, so inputs and channel mixing are spelled one way.</summary>
internal static class FfmpegArgs
{
    /// <summary>
    /// A file path (input or output) as ffmpeg must see it: absolute (a name starting with '-' can't pass for an option) and with the
    /// file: protocol (a name like "concat:..." or "http:..." can't make ffmpeg open something else).
    /// </summary>
    public static string Input(string path) => "file:" + Path.GetFullPath(path);

    /// <summary>Leading arguments: no stdin, only errors on stderr, the input, and its first audio stream only.</summary>
    public static List<string> ReadFirstAudioStream(string path) =>
        ["-nostdin", "-hide_banner", "-v", "error", "-i", Input(path), "-map", "0:a:0", "-vn", "-sn", "-dn"];

    /// <summary>One channel out of many. ffmpeg's pan silently outputs silence for a missing channel, so callers check the index first.</summary>
    public static string PickChannel(int channel) => $"pan=mono|c0=c{channel}";

    /// <summary>All channels averaged into one ('&lt;' makes pan normalise the gains so the mix can't clip).</summary>
    public static string MixToMono(int channels) => $"pan=mono|c0<{Sum(Enumerable.Range(0, channels))}";

    /// <summary>
    /// More than two channels into stereo, every channel kept audible: even-numbered channels left, odd right, so
    /// channels 0 and 1 keep their sides. ffmpeg's own -ac 2 would drop a channel it takes for LFE (3-channel WAVs are read as 2.1).
    /// </summary>
    public static string MixToStereo(int channels) =>
        $"pan=stereo|c0<{Sum(Enumerable.Range(0, channels).Where(c => c % 2 == 0))}|c1<{Sum(Enumerable.Range(0, channels).Where(c => c % 2 == 1))}";

    /// <summary>Float32 little-endian PCM at <paramref name="sampleRate"/> to stdout.</summary>
    public static string[] F32ToStdout(int sampleRate) =>
        ["-ar", sampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"];

    private static string Sum(IEnumerable<int> channels) => string.Join("+", channels.Select(c => $"c{c}"));
}
