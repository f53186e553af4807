namespace CallReview.Transcription.Audio;

/// <summary>Decodes recordings to 16 kHz mono float PCM for transcription, streamed from ffmpeg's stdout (no temporary WAV).</summary>
public sealed class AudioDecoder(FfmpegOptions options)
{
    public const int SampleRate = 16000;

    private readonly AudioProbe _probe = new(options);

    /// <summary>One channel (0-based) of the recording's first audio stream.</summary>
    public async Task<ReadOnlyMemory<float>> DecodeChannelAsync(string path, int channelIndex, CancellationToken cancellationToken = default)
    {
        var info = await _probe.ProbeAsync(path, AudioLimits.None, cancellationToken);
        ArgumentOutOfRangeException.ThrowIfNegative(channelIndex);
        if (channelIndex >= info.Channels)
            throw new ArgumentOutOfRangeException(nameof(channelIndex), channelIndex,
                $"The recording has {info.Channels} channel(s); there is no channel {channelIndex}.");
        return await DecodeAsync(path, FfmpegArgs.PickChannel(channelIndex), info, cancellationToken);
    }

    /// <summary>All channels of the recording's first audio stream averaged into one.</summary>
    public async Task<ReadOnlyMemory<float>> DecodeMonoMixAsync(string path, CancellationToken cancellationToken = default)
    {
        var info = await _probe.ProbeAsync(path, AudioLimits.None, cancellationToken);
        return await DecodeAsync(path, FfmpegArgs.MixToMono(info.Channels), info, cancellationToken);
    }

    private async Task<ReadOnlyMemory<float>> DecodeAsync(string path, string filter, AudioInfo info, CancellationToken cancellationToken)
    {
        var arguments = FfmpegArgs.ReadFirstAudioStream(path);
        arguments.AddRange(["-af", filter]);
        arguments.AddRange(FfmpegArgs.F32ToStdout(SampleRate));

        // Sized from the probed duration plus a second, so a two-hour call (115M samples) is normally one allocation;
        // if the estimate is short (VBR MP3 without a header) the buffer doubles, which stays linear overall.
        var samples = new float[(int)Math.Clamp((info.DurationSeconds + 1) * SampleRate, SampleRate, Array.MaxLength)];
        var count = 0;
        await ProcessRunner.RunAsync(options.FfmpegPath, arguments, (stdout, ct) => F32PipeReader.ReadAsync(stdout, 1, chunk =>
        {
            if (count + chunk.Length > samples.Length)
                Array.Resize(ref samples, (int)Math.Min(Array.MaxLength, Math.Max(2L * samples.Length, count + chunk.Length)));
            chunk.CopyTo(samples.AsSpan(count));
            count += chunk.Length;
        }, ct), options.ProcessTimeout, cancellationToken);
        return samples.AsMemory(0, count);
    }
}
