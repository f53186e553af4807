using FFMpegCore;

namespace CallReview.Transcription.Audio;

/// <summary>Where ffmpeg and ffprobe are and how long they may run.</summary>
public sealed record FfmpegOptions
{
    /// <summary>The folder holding ffmpeg and ffprobe; empty finds them on the PATH.</summary>
    public string BinaryFolder { get; init; } = "";

    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// For transcoding and peaks, and, while decoding for transcription, the longest ffmpeg may go without producing
    /// samples; generous because a four-hour MP3 takes a while to decode on a small machine.
    /// </summary>
    public TimeSpan ProcessTimeout { get; init; } = TimeSpan.FromMinutes(20);

    public string FfmpegPath => GlobalFFOptions.GetFFMpegBinaryPath(FFOptions);

    public string FfprobePath => GlobalFFOptions.GetFFProbeBinaryPath(FFOptions);

    /// <summary>FFMpegCore's options for one run (a fresh object: FFMpegCore lets a run change its options).</summary>
    internal FFOptions FFOptions => new() { BinaryFolder = BinaryFolder };
}
