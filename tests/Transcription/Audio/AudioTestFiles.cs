using CallReview.Transcription.Audio;

namespace CallReview.Tests.Transcription.Audio;

/// <summary>A temporary folder for files a test generates, removed when the test ends.</summary>
public sealed class AudioTestFiles : IDisposable
{
    public static readonly FfmpegOptions Options = new();

    public string Dir { get; } = Directory.CreateTempSubdirectory("callreview-audio-").FullName;

    public string PathOf(string name) => System.IO.Path.Combine(Dir, name);

    /// <summary>Runs ffmpeg (overwriting, errors only) to generate a file named <paramref name="name"/>; returns its path.</summary>
    public async Task<string> FfmpegAsync(string name, params string[] arguments)
    {
        var path = PathOf(name);
        await ProcessRunner.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-y", .. arguments, path], TimeSpan.FromSeconds(60));
        return path;
    }

    /// <summary>Stereo WAV: a 440 Hz sine on the left, silence on the right.</summary>
    public Task<string> ToneLeftSilenceRightAsync(string name = "tone-left.wav", double seconds = 3) =>
        FfmpegAsync(name,
            "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=16000:duration={seconds}",
            "-f", "lavfi", "-i", $"anullsrc=channel_layout=mono:sample_rate=16000",
            "-filter_complex", "[0:a][1:a]amerge=inputs=2[out]", "-map", "[out]", "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
