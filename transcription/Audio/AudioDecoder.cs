using FFMpegCore;
using FFMpegCore.Arguments;

namespace CallReview.Transcription.Audio;

/// <summary>
/// Decodes recordings to 16 kHz mono float PCM for transcription, streamed from ffmpeg's output pipe in blocks, so a
/// four-hour call needs no more memory than a minute of it. One made to keep an ffmpeg ready (a worker's,
/// which decodes call after call) starts an ffmpeg for the next call when told a core is free (<see cref="PrepareNext"/>);
/// disposing it stops that ffmpeg.
/// </summary>
public sealed class AudioDecoder : IDisposable
{
    public const int SampleRate = 16000;

    private readonly FfmpegOptions _options;
    private readonly bool _keepsOneReady;
    private readonly AudioProbe _probe;
    private readonly Lock _readyLock = new();
    private ReadyFfmpeg? _ready;
    private bool _disposed;

    public AudioDecoder(FfmpegOptions options, bool keepsOneReady = false)
    {
        _options = options;
        _probe = new(options);
        _keepsOneReady = keepsOneReady && OperatingSystem.IsLinux();
        // A worker's is made as the worker starts: ffmpegs a killed worker left waiting are released then, not at its first call's end.
        if (_keepsOneReady)
            ReadyFfmpeg.ReleaseOrphans();
    }

    public Task<AudioInfo> ProbeAsync(string path, CancellationToken cancellationToken = default) =>
        _probe.ProbeAsync(path, AudioLimits.None, cancellationToken);

    /// <summary>
    /// Streams one track of the recording's first audio stream — channel <paramref name="channel"/> (0-based), or every
    /// channel mixed when null — to <paramref name="onSamples"/> in blocks. Never more than <paramref name="maxSeconds"/>:
    /// a header can understate the length (an MP3 without a Xing header is measured from its first frames), so past the limit
    /// ffmpeg is stopped and <see cref="AudioRejectedException"/> (<see cref="AudioRejection.TooLong"/>) thrown.
    /// Returns the number of samples decoded.
    /// </summary>
    public Task<long> StreamAsync(string path, AudioInfo info, int? channel, double maxSeconds, FramesHandler onSamples,
        CancellationToken cancellationToken = default)
    {
        if (channel is { } c && (c < 0 || c >= info.Channels))
            throw new ArgumentOutOfRangeException(nameof(channel), channel,
                $"The recording has {info.Channels} channel(s); there is no channel {channel}.");
        return StreamAsync(path, info, 1, filters =>
        {
            if (channel is { } picked)
                filters.PickChannel(picked);
            else
                filters.MixToMono(info.Channels);
        }, maxSeconds, onSamples, cancellationToken);
    }

    /// <summary>
    /// Every channel at once, frames interleaved (<see cref="AudioInfo.Channels"/> samples each), to <paramref name="onFrames"/>:
    /// the file is decoded once for all its channels. Limits as <see cref="StreamAsync(string, AudioInfo, int?, double, FramesHandler, CancellationToken)"/>;
    /// returns the number of frames decoded.
    /// </summary>
    public Task<long> StreamChannelsAsync(string path, AudioInfo info, double maxSeconds, FramesHandler onFrames,
        CancellationToken cancellationToken = default) =>
        StreamAsync(path, info, info.Channels, null, maxSeconds, onFrames, cancellationToken);

    /// <summary>
    /// Starts an ffmpeg for a next recording of <paramref name="channels"/> channels, decoded whole (<see cref="StreamChannelsAsync"/>),
    /// unless one is already waiting; nothing on a decoder not made to keep one ready. Called when a core is free: starting
    /// takes one for about 0.1 s.
    /// </summary>
    public void PrepareNext(int channels)
    {
        if (!_keepsOneReady)
            return;
        lock (_readyLock)
        {
            if (_disposed || _ready is { Waiting: true } waiting && waiting.Channels == channels)
                return;
            _ready?.Dispose();
            _ready = new ReadyFfmpeg(channels, _options);
        }
    }

    /// <summary>The ffmpeg started for the next recording, if any (for tests).</summary>
    internal ReadyFfmpeg? Ready
    {
        get
        {
            lock (_readyLock)
                return _ready;
        }
    }

    private ReadyFfmpeg? TakeReady(string path, int channels)
    {
        if (!ReadyFfmpeg.CanSend(path))
            return null;
        lock (_readyLock)
        {
            if (_ready is not { Waiting: true } ready || ready.Channels != channels)
                return null;
            _ready = null;
            return ready;
        }
    }

    public void Dispose()
    {
        lock (_readyLock)
        {
            _disposed = true;
            _ready?.Dispose();
            _ready = null;
        }
    }

    private async Task<long> StreamAsync(string path, AudioInfo info, int channels, Action<AudioFilterOptions>? filter,
        double maxSeconds, FramesHandler onFrames, CancellationToken cancellationToken)
    {
        var maxFrames = (long)Math.Min(long.MaxValue / 2.0, maxSeconds * SampleRate);
        long count = 0;
        void Counted(ReadOnlySpan<float> block)
        {
            count += block.Length / channels;
            if (count > maxFrames)
                throw AudioRejectedException.LongerThanItsHeaderSaid(maxSeconds, info.DurationSeconds);
            onFrames(block);
        }

        // Every channel as it is: what a ready ffmpeg writes.
        if (filter is null && TakeReady(path, channels) is { } ready)
        {
            using (ready)
                await ready.DecodeAsync(path, Counted, cancellationToken);
            return count;
        }
        var reader = new F32Reader(channels, Counted, _options.ProcessTimeout);
        var processor = FFMpegArguments.FromFileInput(FfmpegRun.Input(path)).OutputToPipe(reader.Sink, output =>
        {
            output.FirstAudioStream();
            if (filter is not null)
                output.WithAudioFilters(filter);
            output.F32(SampleRate);
        });
        // No overall time limit: the consumer may transcribe as it goes; the sink fails if ffmpeg stalls.
        await FfmpegRun.RunAsync(processor, _options, timeout: null, cancellationToken, reader);
        return count;
    }

    /// <summary>One channel (0-based) of a short recording, whole (tests, the benchmark); the pipeline streams with <see cref="StreamAsync"/>.</summary>
    public async Task<ReadOnlyMemory<float>> DecodeChannelAsync(string path, int channelIndex, CancellationToken cancellationToken = default) =>
        await DecodeWholeAsync(path, channelIndex, cancellationToken);

    /// <summary>All channels of a short recording averaged into one, whole.</summary>
    public async Task<ReadOnlyMemory<float>> DecodeMonoMixAsync(string path, CancellationToken cancellationToken = default) =>
        await DecodeWholeAsync(path, null, cancellationToken);

    private async Task<ReadOnlyMemory<float>> DecodeWholeAsync(string path, int? channel, CancellationToken cancellationToken)
    {
        var info = await ProbeAsync(path, cancellationToken);
        var samples = new float[(int)Math.Clamp((info.DurationSeconds + 1) * SampleRate, SampleRate, Array.MaxLength)];
        var count = 0;
        await StreamAsync(path, info, channel, Array.MaxLength / (double)SampleRate, block =>
        {
            if (count + block.Length > samples.Length)
                Array.Resize(ref samples, (int)Math.Min(Array.MaxLength, Math.Max(2L * samples.Length, count + block.Length)));
            block.CopyTo(samples.AsSpan(count));
            count += block.Length;
        }, cancellationToken);
        return samples.AsMemory(0, count);
    }
}
