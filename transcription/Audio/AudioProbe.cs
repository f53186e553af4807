using System.Globalization;
using System.Text.Json;
using FFMpegCore;
using FFMpegCore.Exceptions;

namespace CallReview.Transcription.Audio;

/// <summary>What ffprobe says about a recording's first audio stream. <see cref="BitRate"/> is in bits per second when known.</summary>
public sealed record AudioInfo(string FormatName, double DurationSeconds, int Channels, int SampleRate, string Codec,
    long? BitRate, long SizeBytes);

/// <summary>Upper bounds for an uploaded recording, and the shortest one worth transcribing.</summary>
public sealed record AudioLimits(long MaxBytes, double MaxDurationSeconds)
{
    /// <summary>Shorter than this is treated as empty or truncated (a cut-off WAV header probes as a few samples).</summary>
    public double MinDurationSeconds { get; init; } = 0.1;

    /// <summary>No practical size or length limit; for files already accepted once.</summary>
    public static AudioLimits None { get; } = new(long.MaxValue, double.MaxValue);
}

public enum AudioRejection
{
    Empty,
    NotAudio,
    NoAudioStream,
    NoLength,
    TooShort,
    TooLarge,
    TooLong,
}

/// <summary>
/// A file that can't be accepted as a recording; the message is written for the person who uploaded it, in English,
/// with its figures apart (<see cref="Format"/>, <see cref="Args"/>) so an interface can say it in its reader's language.
/// </summary>
public sealed class AudioRejectedException(AudioRejection reason, string format, object?[] args, Exception? inner = null)
    : Exception(string.Format(CultureInfo.InvariantCulture, format, args), inner)
{
    public AudioRejectedException(AudioRejection reason, string message, Exception? inner = null) : this(reason, message, [], inner)
    {
    }

    public AudioRejection Reason { get; } = reason;

    /// <summary>The message's English with <c>{0}</c>-style places for <see cref="Args"/>.</summary>
    public string Format { get; } = format;

    public IReadOnlyList<object?> Args { get; } = args;

    /// <summary>Decoding went past the limit on a file whose header claimed less (found while decoding, not when probing).</summary>
    public static AudioRejectedException LongerThanItsHeaderSaid(double maxSeconds, double headerSeconds) => new(AudioRejection.TooLong,
        "The recording is longer than the longest accepted ({0}), although its header said {1}; it was stopped at {0} and not transcribed.",
        [AudioProbe.FormatDuration(maxSeconds), AudioProbe.FormatDuration(headerSeconds)]);
}

/// <summary>Reads a recording's format with ffprobe (through FFMpegCore) and checks it is audio a reviewer can use.</summary>
public sealed class AudioProbe(FfmpegOptions options)
{
    /// <summary>Probes <paramref name="path"/>; throws <see cref="AudioRejectedException"/> when it isn't usable audio within <paramref name="limits"/>.</summary>
    public async Task<AudioInfo> ProbeAsync(string path, AudioLimits limits, CancellationToken cancellationToken = default)
    {
        var size = new FileInfo(path).Length;
        if (size == 0)
            throw new AudioRejectedException(AudioRejection.Empty, "The file is empty.");
        // Checked before probing so an oversized upload costs nothing more.
        if (size > limits.MaxBytes)
            throw new AudioRejectedException(AudioRejection.TooLarge,
                "The file is {0}; the largest accepted is {1}.", [FormatBytes(size), FormatBytes(limits.MaxBytes)]);

        IMediaAnalysis analysis;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.ProbeTimeout);
            try
            {
                analysis = await FFProbe.AnalyseAsync(FfmpegRun.Input(path), options.FFOptions, customArguments: null, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"ffprobe took longer than {options.ProbeTimeout.TotalSeconds:0} s to read the file.");
            }
            catch (Exception e) when (e is FFProbeProcessException or FormatNullException or JsonException or FormatException)
            {
                throw new AudioRejectedException(AudioRejection.NotAudio,
                    "The file could not be read as audio: it is not a recording, or it is damaged.", e);
            }
        }

        var info = Describe(analysis, size);
        if (info.DurationSeconds <= 0)
            throw new AudioRejectedException(AudioRejection.NoLength, "The recording has no length (0 seconds of audio).");
        if (info.DurationSeconds < limits.MinDurationSeconds)
            throw new AudioRejectedException(AudioRejection.TooShort,
                "The recording is only {0:0.###} seconds long; it is too short or cut off (truncated).", [info.DurationSeconds]);
        if (info.DurationSeconds > limits.MaxDurationSeconds)
        {
            var (length, limit) = (FormatDuration(info.DurationSeconds), FormatDuration(limits.MaxDurationSeconds));
            // Rounded to the second, a file a few frames over would read "4:00:00 long; the longest accepted is 4:00:00".
            throw new AudioRejectedException(AudioRejection.TooLong,
                length == limit ? "The recording is just over {0} long; the longest accepted is {1}." : "The recording is {0} long; the longest accepted is {1}.",
                [length, limit]);
        }
        return info;
    }

    private static AudioInfo Describe(IMediaAnalysis analysis, long size)
    {
        if (analysis.PrimaryAudioStream is not { } audio)
        {
            throw new AudioRejectedException(AudioRejection.NoAudioStream, (analysis.VideoStreams.Count > 0, analysis.SubtitleStreams.Count > 0) switch
            {
                (true, true) => "The file contains no audio (it holds video, subtitles).",
                (true, false) => "The file contains no audio (it holds video).",
                (false, true) => "The file contains no audio (it holds subtitles).",
                _ => "The file contains no audio.",
            });
        }

        // The stream's own duration is the audio's; the container's can include other streams. Unknown is zero.
        var duration = Seconds(analysis.Raw.Streams.FirstOrDefault(x => x.Index == audio.Index)?.Duration) is > 0 and var d
            ? d
            : Seconds(analysis.Raw.Format?.Duration);
        var bitRate = audio.BitRate > 0 ? audio.BitRate : analysis.Format.BitRate ?? 0;
        return new AudioInfo(analysis.Format.FormatName ?? "", duration, audio.Channels ?? 0, audio.SampleRateHz ?? 0,
            audio.CodecName ?? "", bitRate > 0 ? bitRate : null, size);
    }

    /// <summary>
    /// ffprobe's "H:MM:SS.ffffff" to seconds; 0 when absent or "N/A". Read from the raw text because FFMpegCore's own
    /// durations stop at milliseconds, and a cut-off WAV header is a fraction of one (too short, not empty).
    /// </summary>
    private static double Seconds(string? sexagesimal)
    {
        var parts = sexagesimal?.Split(':');
        return parts is [var h, var m, var sec]
               && int.TryParse(h, NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
               && int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
               && double.TryParse(sec, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            ? hours * 3600.0 + minutes * 60 + seconds
            : 0;
    }

    /// <summary>"3.4 MB": sizes as the person uploading reads them.</summary>
    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):0.#} KB",
        _ => $"{bytes} bytes",
    };

    /// <summary>"1:02:03" or "2:03".</summary>
    public static string FormatDuration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t:mm\\:ss}" : $"{t:m\\:ss}";
    }
}
