using System.Globalization;
using System.Text.Json;

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

/// <summary>A file that can't be accepted as a recording; the message is written for the person who uploaded it.</summary>
public sealed class AudioRejectedException(AudioRejection reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public AudioRejection Reason { get; } = reason;
}

/// <summary>Reads a recording's format with ffprobe and checks it is audio a reviewer can use.</summary>
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
                $"The file is {FormatBytes(size)}; the largest accepted is {FormatBytes(limits.MaxBytes)}.");

        string json;
        try
        {
            json = await ProcessRunner.RunAsync(options.FfprobePath,
                ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", FfmpegArgs.Input(path)],
                options.ProbeTimeout, cancellationToken);
        }
        catch (ToolFailedException e) when (!e.TimedOut && e.ExitCode is not null)
        {
            throw new AudioRejectedException(AudioRejection.NotAudio,
                "The file could not be read as audio: it is not a recording, or it is damaged.", e);
        }

        var info = Parse(json, size);
        if (info.DurationSeconds <= 0)
            throw new AudioRejectedException(AudioRejection.NoLength, "The recording has no length (0 seconds of audio).");
        if (info.DurationSeconds < limits.MinDurationSeconds)
            throw new AudioRejectedException(AudioRejection.TooShort,
                $"The recording is only {info.DurationSeconds:0.###} seconds long; it is too short or cut off (truncated).");
        if (info.DurationSeconds > limits.MaxDurationSeconds)
            throw new AudioRejectedException(AudioRejection.TooLong,
                $"The recording is {FormatDuration(info.DurationSeconds)} long; the longest accepted is {FormatDuration(limits.MaxDurationSeconds)}.");
        return info;
    }

    private static AudioInfo Parse(string json, long size)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var format = root.TryGetProperty("format", out var f) ? f : default;
        var formatName = format.ValueKind == JsonValueKind.Object ? String(format, "format_name") ?? "" : "";

        var streams = root.TryGetProperty("streams", out var s) && s.ValueKind == JsonValueKind.Array
            ? s.EnumerateArray().ToList()
            : [];
        var audio = streams.FirstOrDefault(x => String(x, "codec_type") == "audio");
        if (audio.ValueKind != JsonValueKind.Object)
        {
            var found = streams.Select(x => String(x, "codec_type")).OfType<string>().Distinct().ToList();
            throw new AudioRejectedException(AudioRejection.NoAudioStream, found.Count == 0
                ? "The file contains no audio."
                : $"The file contains no audio (it holds {string.Join(", ", found)}).");
        }

        // The stream's own duration is the audio's; the container's can include other streams. Missing means unknown: 0.
        var duration = Number(audio, "duration") ?? (format.ValueKind == JsonValueKind.Object ? Number(format, "duration") : null) ?? 0;
        var bitRate = Number(audio, "bit_rate") ?? (format.ValueKind == JsonValueKind.Object ? Number(format, "bit_rate") : null);
        return new AudioInfo(
            formatName,
            duration,
            (int)(Number(audio, "channels") ?? 0),
            (int)(Number(audio, "sample_rate") ?? 0),
            String(audio, "codec_name") ?? "",
            bitRate is { } b ? (long)b : null,
            size);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // ffprobe writes most numbers as strings ("16000", "11.000000"), some as numbers; "N/A" means unknown.
    private static double? Number(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number)
            return value.GetDouble();
        return value.ValueKind == JsonValueKind.String
               && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
               && double.IsFinite(parsed)
            ? parsed
            : null;
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):0.#} KB",
        _ => $"{bytes} bytes",
    };

    private static string FormatDuration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t:mm\\:ss}" : $"{t:m\\:ss}";
    }
}
