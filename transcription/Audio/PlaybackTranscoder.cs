namespace CallReview.Transcription.Audio;

/// <summary>Makes the copy reviewers play in the browser: MP3, stereo kept stereo so agent and customer stay apart.</summary>
public sealed class PlaybackTranscoder(FfmpegOptions options)
{
    /// <summary>Per channel; ample for telephone speech, so a stereo call is 96 kbit/s.</summary>
    public const int KilobitsPerChannel = 48;

    private readonly AudioProbe _probe = new(options);

    /// <summary>
    /// Transcodes the first audio stream of <paramref name="sourcePath"/> to MP3 at <paramref name="destinationPath"/>
    /// (replaced atomically). One or two channels are kept as they are; more are mixed down to stereo.
    /// </summary>
    public async Task CreateAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        var info = await _probe.ProbeAsync(sourcePath, AudioLimits.None, cancellationToken);
        var channels = Math.Min(info.Channels, 2);
        await AtomicFile.WriteAsync(destinationPath, async temp =>
        {
            var arguments = FfmpegArgs.ReadFirstAudioStream(sourcePath);
            if (info.Channels > 2)
                arguments.AddRange(["-af", FfmpegArgs.MixToStereo(info.Channels)]);
            arguments.AddRange(["-map_metadata", "-1", "-c:a", "libmp3lame", "-b:a", $"{KilobitsPerChannel * channels}k",
                "-f", "mp3", FfmpegArgs.Input(temp)]);
            await ProcessRunner.RunAsync(options.FfmpegPath, arguments, options.ProcessTimeout, cancellationToken);
        });
    }
}
