using FFMpegCore;

namespace CallReview.Transcription.Audio;

/// <summary>Computes <see cref="WaveformPeaks"/> by streaming ffmpeg's output; only the peaks are kept, never the call's samples.</summary>
public sealed class WaveformGenerator(FfmpegOptions options)
{
    public const int PeaksPerSecond = 50;
    private const int SampleRate = AudioDecoder.SampleRate;
    private const int SamplesPerPeak = SampleRate / PeaksPerSecond;

    private readonly AudioProbe _probe = new(options);

    /// <summary>
    /// The peaks of <paramref name="path"/>. Past <paramref name="maxSeconds"/> of audio (whatever the header claimed)
    /// ffmpeg is stopped and <see cref="AudioRejectedException"/> (<see cref="AudioRejection.TooLong"/>) thrown.
    /// </summary>
    public async Task<WaveformPeaks> ComputeAsync(string path, double maxSeconds = double.MaxValue, CancellationToken cancellationToken = default)
    {
        var info = await _probe.ProbeAsync(path, AudioLimits.None, cancellationToken);
        var channels = Math.Min(info.Channels, 2);
        var maxFrames = (long)Math.Min(long.MaxValue / 2.0, maxSeconds * SampleRate);

        var capacity = (int)Math.Min(Array.MaxLength / 2, 2 * (Math.Min(info.DurationSeconds, maxSeconds) + 1) * PeaksPerSecond);
        var data = Enumerable.Range(0, channels).Select(_ => new List<sbyte>(capacity)).ToArray();
        var min = new float[channels];
        var max = new float[channels];
        var inPeak = 0;
        long frames = 0;

        void Flush()
        {
            for (var c = 0; c < channels; c++)
            {
                data[c].Add(ToByte(min[c]));
                data[c].Add(ToByte(max[c]));
                min[c] = float.MaxValue;
                max[c] = float.MinValue;
            }
            inPeak = 0;
        }

        Array.Fill(min, float.MaxValue);
        Array.Fill(max, float.MinValue);
        var reader = new F32Reader(channels, interleaved =>
        {
            frames += interleaved.Length / channels;
            if (frames > maxFrames)
                throw AudioRejectedException.LongerThanItsHeaderSaid(maxSeconds, info.DurationSeconds);
            for (var i = 0; i < interleaved.Length; i += channels)
            {
                for (var c = 0; c < channels; c++)
                {
                    var sample = interleaved[i + c];
                    min[c] = Math.Min(min[c], sample);
                    max[c] = Math.Max(max[c], sample);
                }
                if (++inPeak == SamplesPerPeak)
                    Flush();
            }
        }, options.ProcessTimeout);
        var processor = FFMpegArguments.FromFileInput(FfmpegRun.Input(path)).OutputToPipe(reader.Sink, output =>
        {
            output.FirstAudioStream();
            if (info.Channels > 2)
                output.WithAudioFilters(f => f.MixToStereo(info.Channels));
            output.F32(SampleRate);
        });
        await FfmpegRun.RunAsync(processor, options, options.ProcessTimeout, cancellationToken, reader);
        if (inPeak > 0)
            Flush();

        return new WaveformPeaks
        {
            Channels = channels,
            SampleRate = SampleRate,
            PeaksPerSecond = PeaksPerSecond,
            Duration = Math.Round(frames / (double)SampleRate, 3),
            Data = data.Select(d => d.ToArray()).ToArray(),
        };
    }

    /// <summary>Computes the peaks of <paramref name="path"/> and writes them as JSON to <paramref name="destinationPath"/> (replaced atomically).</summary>
    public async Task<WaveformPeaks> WriteFileAsync(string path, string destinationPath, double maxSeconds = double.MaxValue,
        CancellationToken cancellationToken = default)
    {
        var peaks = await ComputeAsync(path, maxSeconds, cancellationToken);
        await peaks.WriteFileAsync(destinationPath, cancellationToken);
        return peaks;
    }

    private static sbyte ToByte(float sample) => (sbyte)Math.Clamp(MathF.Round(sample * 127), sbyte.MinValue, sbyte.MaxValue);
}
