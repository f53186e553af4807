using FFMpegCore;

namespace CallReview.Transcription.Audio;

/// <summary>Makes the copy reviewers play in the browser: MP3, stereo kept stereo so agent and customer stay apart.</summary>
public sealed class PlaybackTranscoder(FfmpegOptions options)
{
    /// <summary>Per channel; ample for telephone speech, so a stereo call is 96 kbit/s.</summary>
    public const int KilobitsPerChannel = 48;

    private readonly AudioProbe _probe = new(options);

    /// <summary>
    /// Transcodes the first audio stream of <paramref name="sourcePath"/> to MP3 at <paramref name="destinationPath"/>
    /// (replaced atomically), at most <paramref name="maxSeconds"/> of it. ffmpeg writes to the file as it goes, so memory
    /// doesn't grow with the call's length.
    /// </summary>
    public Task CreateAsync(string sourcePath, string destinationPath, double maxSeconds = double.MaxValue,
        CancellationToken cancellationToken = default, IReadOnlyList<MutedSpan>? muted = null) =>
        CutAsync(sourcePath, destinationPath, TimeSpan.Zero, maxSeconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(maxSeconds) : null,
            cancellationToken, muted);

    /// <summary>
    /// An excerpt from <paramref name="start"/>, <paramref name="length"/> long (to the end when null), as MP3 at
    /// <paramref name="destinationPath"/> (replaced atomically). One or two channels are kept as they are; more are mixed down to stereo.
    /// <paramref name="muted"/> spans (seconds on the excerpt's own clock, the source's channels) are silenced first.
    /// </summary>
    public async Task CutAsync(string sourcePath, string destinationPath, TimeSpan start, TimeSpan? length,
        CancellationToken cancellationToken = default, IReadOnlyList<MutedSpan>? muted = null)
    {
        var info = await _probe.ProbeAsync(sourcePath, AudioLimits.None, cancellationToken);
        var channels = Math.Min(info.Channels, 2);
        await AtomicFile.WriteAsync(destinationPath, async temp =>
        {
            var processor = FFMpegArguments.FromFileInput(FfmpegRun.Input(sourcePath), input => input.WithStartTime(start > TimeSpan.Zero ? start : null))
                .OutputToFile(temp, overwrite: true, output =>
                {
                    output.FirstAudioStream().WithDuration(length);
                    if (muted is { Count: > 0 } || info.Channels > 2)
                        output.WithAudioFilters(f =>
                        {
                            if (muted is { Count: > 0 })
                                f.Mute(muted, info.Channels);
                            if (info.Channels > 2)
                                f.MixToStereo(info.Channels);
                        });
                    output.WithAudioCodec("libmp3lame").WithAudioBitrate(KilobitsPerChannel * channels).ForceFormat("mp3");
                });
            await FfmpegRun.RunAsync(processor, options, options.ProcessTimeout, cancellationToken);
        });
    }
}
