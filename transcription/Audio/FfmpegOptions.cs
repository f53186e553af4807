namespace CallReview.Transcription.Audio;

/// <summary>Where ffmpeg and ffprobe are and how long they may run.</summary>
public sealed record FfmpegOptions
{
    public string FfmpegPath { get; init; } = "ffmpeg";
    public string FfprobePath { get; init; } = "ffprobe";
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>For decoding, transcoding and peaks; generous because a two-hour MP3 takes a while to decode on a small machine.</summary>
    public TimeSpan ProcessTimeout { get; init; } = TimeSpan.FromMinutes(20);
}
