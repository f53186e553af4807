using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallReview.Transcription.Audio;

/// <summary>
/// Min/max peaks for drawing a recording's waveform, stored as compact JSON the browser's waveform
/// library can draw without downloading or decoding the audio:
/// <code>
/// {"version":1,"channels":2,"sampleRate":16000,"peaksPerSecond":50,"duration":11.0,"bits":8,
///  "data":[[min,max,min,max,...],[min,max,...]]}
/// </code>
/// <list type="bullet">
/// <item><c>channels</c>: 1 or 2, one <c>data</c> array each (channel 0 = left). More source channels are mixed down to two.</item>
/// <item><c>sampleRate</c>: the rate the peaks were measured at (audio decoded to 16 kHz).</item>
/// <item><c>peaksPerSecond</c>: min/max pairs per second, so pair <c>i</c> covers <c>[i, i+1) / peaksPerSecond</c> seconds;
/// 50 (20 ms, 320 samples at 16 kHz) resolves syllables when zoomed in and keeps a two-hour call near 1 MB per channel.</item>
/// <item><c>duration</c>: seconds of audio measured; the last pair may cover less than a full interval.</item>
/// <item><c>bits</c>: 8 — each value is a signed byte, the sample (−1..1) times 127, clamped to −128..127.</item>
/// </list>
/// </summary>
public sealed record WaveformPeaks
{
    public const int CurrentVersion = 1;
    public const int ByteBits = 8;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public int Version { get; init; } = CurrentVersion;
    public required int Channels { get; init; }
    public required int SampleRate { get; init; }
    public required int PeaksPerSecond { get; init; }
    public required double Duration { get; init; }
    public int Bits { get; init; } = ByteBits;

    /// <summary>Per channel, interleaved min, max pairs.</summary>
    public required sbyte[][] Data { get; init; }

    /// <summary>Min/max pairs per channel.</summary>
    [JsonIgnore]
    public int PairCount => Data.Length == 0 ? 0 : Data[0].Length / 2;

    /// <summary>These peaks with every pair that overlaps a muted span zeroed on its channel (on every channel for a span without one).</summary>
    public WaveformPeaks Muted(IReadOnlyList<MutedSpan> spans)
    {
        var data = Data.Select(d => (sbyte[])d.Clone()).ToArray();
        foreach (var span in spans)
        {
            var first = Math.Max(0, (int)Math.Floor(span.Start * PeaksPerSecond));
            var last = Math.Min(PairCount - 1, (int)Math.Ceiling(span.End * PeaksPerSecond) - 1);
            for (var c = 0; c < Channels; c++)
                if (span.Channel is null || span.Channel == c)
                    Array.Clear(data[c], 2 * first, Math.Max(0, 2 * (last - first + 1)));
        }
        return this with { Data = data };
    }

    public Task WriteAsync(Stream stream, CancellationToken cancellationToken = default) =>
        JsonSerializer.SerializeAsync(stream, this, Json, cancellationToken);

    /// <summary>Writes the peaks as JSON to <paramref name="destinationPath"/>, replaced atomically.</summary>
    public Task WriteFileAsync(string destinationPath, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAsync(destinationPath, async temp =>
        {
            await using var file = File.Create(temp);
            await WriteAsync(file, cancellationToken);
        });

    public static async Task<WaveformPeaks> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var file = File.OpenRead(path);
        return await ReadAsync(file, cancellationToken);
    }

    /// <summary>Reads peaks JSON, refusing versions, bit depths or shapes this code doesn't write.</summary>
    public static async Task<WaveformPeaks> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var peaks = await JsonSerializer.DeserializeAsync<WaveformPeaks>(stream, Json, cancellationToken)
                    ?? throw new InvalidDataException("Waveform peaks JSON is null.");
        if (peaks.Version != CurrentVersion || peaks.Bits != ByteBits)
            throw new InvalidDataException($"Unsupported waveform peaks: version {peaks.Version}, {peaks.Bits} bits.");
        if (peaks.Data.Length != peaks.Channels || peaks.Data.Any(d => d.Length % 2 != 0 || d.Length != peaks.Data[0].Length))
            throw new InvalidDataException("Waveform peaks data must hold one array of min/max pairs per channel, all the same length.");
        return peaks;
    }
}
