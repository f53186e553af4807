namespace CallReview.Transcription.Audio;

/// <summary>Computes <see cref="WaveformPeaks"/> by streaming ffmpeg's output; only the peaks are kept, never the call's samples.</summary>
public sealed class WaveformGenerator(FfmpegOptions options)
{
    public const int PeaksPerSecond = 50;
    private const int SampleRate = AudioDecoder.SampleRate;
    private const int SamplesPerPeak = SampleRate / PeaksPerSecond;

    private readonly AudioProbe _probe = new(options);

    public async Task<WaveformPeaks> ComputeAsync(string path, CancellationToken cancellationToken = default)
    {
        var info = await _probe.ProbeAsync(path, AudioLimits.None, cancellationToken);
        var channels = Math.Min(info.Channels, 2);
        var arguments = FfmpegArgs.ReadFirstAudioStream(path);
        if (info.Channels > 2)
            arguments.AddRange(["-af", FfmpegArgs.MixToStereo(info.Channels)]);
        arguments.AddRange(FfmpegArgs.F32ToStdout(SampleRate));

        var capacity = (int)Math.Min(Array.MaxLength / 2, 2 * (info.DurationSeconds + 1) * PeaksPerSecond);
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
        await ProcessRunner.RunAsync(options.FfmpegPath, arguments, (stdout, ct) => F32PipeReader.ReadAsync(stdout, channels, interleaved =>
        {
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
            frames += interleaved.Length / channels;
        }, ct), options.ProcessTimeout, cancellationToken);
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
    public async Task<WaveformPeaks> WriteFileAsync(string path, string destinationPath, CancellationToken cancellationToken = default)
    {
        var peaks = await ComputeAsync(path, cancellationToken);
        await AtomicFile.WriteAsync(destinationPath, async temp =>
        {
            await using var file = File.Create(temp);
            await peaks.WriteAsync(file, cancellationToken);
        });
        return peaks;
    }

    private static sbyte ToByte(float sample) => (sbyte)Math.Clamp(MathF.Round(sample * 127), sbyte.MinValue, sbyte.MaxValue);
}
