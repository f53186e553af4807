using System.Globalization;
using System.Runtime.ExceptionServices;
using FFMpegCore;
using FFMpegCore.Arguments;
using FFMpegCore.Enums;

namespace CallReview.Transcription.Audio;

/// <summary>
/// What FFMpegCore leaves to us when it runs ffmpeg: inputs spelled safely, the first audio stream only, our channel mixes,
/// and a time limit.
/// </summary>
internal static class FfmpegRun
{
    /// <summary>
    /// A path as ffmpeg must see it: absolute, so it starts with '/' and can't pass for an option ("-…") or a protocol
    /// ("concat:…", "http:…" would make ffmpeg open something else). Stored files are named by hash or GUID, never by the uploader.
    /// </summary>
    public static string Input(string path) => Path.GetFullPath(path);

    /// <summary>Output options: the first audio stream alone, no video, subtitles, data or metadata.</summary>
    public static FFMpegOutputOptions FirstAudioStream(this FFMpegOutputOptions output) =>
        output.WithMap(0, StreamType.Audio, 0).DisableVideo().DisableSubtitles().DisableData().WithoutMetadata();

    /// <summary>
    /// Float32 little-endian PCM at <paramref name="sampleRate"/>, written to the pipe in ffmpeg's 32 KB buffers: by default
    /// ffmpeg flushes every packet to a pipe, an MP3 frame's 4.6 KB, and a 67 s stereo call came in 700–1,700 reads, each
    /// a wake-up of the reader; in 260 its samples arrive about 25 ms sooner.
    /// </summary>
    public static FFMpegOutputOptions F32(this FFMpegOutputOptions output, int sampleRate) =>
        output.WithAudioSamplingRate(sampleRate).WithAudioCodec("pcm_f32le").ForceFormat("f32le").WithCustomArgument("-flush_packets 0");

    /// <summary>One channel out of many. ffmpeg's pan silently outputs silence for a missing channel, so callers check the index first.</summary>
    public static AudioFilterOptions PickChannel(this AudioFilterOptions filters, int channel) => filters.Pan("mono", $"c0=c{channel}");

    /// <summary>All channels averaged into one ('&lt;' makes pan normalise the gains so the mix can't clip).</summary>
    public static AudioFilterOptions MixToMono(this AudioFilterOptions filters, int channels) =>
        filters.Pan("mono", $"c0<{Sum(Enumerable.Range(0, channels))}");

    /// <summary>
    /// More than two channels into stereo, every channel kept audible: even-numbered channels left, odd right, so
    /// channels 0 and 1 keep their sides. ffmpeg's own -ac 2 would drop a channel it takes for LFE (3-channel WAVs are read as 2.1).
    /// </summary>
    public static AudioFilterOptions MixToStereo(this AudioFilterOptions filters, int channels) =>
        filters.Pan("stereo", $"c0<{Sum(Enumerable.Range(0, channels).Where(c => c % 2 == 0))}",
            $"c1<{Sum(Enumerable.Range(0, channels).Where(c => c % 2 == 1))}");

    /// <summary>
    /// Silences <paramref name="spans"/>, each on its channel or on all of them, leaving every other sample as it was:
    /// channel k becomes val(k) times not(between(t,a,b)+…) for the spans on it.
    /// </summary>
    public static AudioFilterOptions Mute(this AudioFilterOptions filters, IReadOnlyList<MutedSpan> spans, int channels)
    {
        var perChannel = Enumerable.Range(0, channels).Select(c =>
        {
            var on = spans.Where(s => s.Channel is null || s.Channel == c)
                .Select(s => string.Create(CultureInfo.InvariantCulture, $"between(t,{s.Start:0.###},{s.End:0.###})")).ToList();
            return on.Count == 0 ? $"val({c})" : $"val({c})*not({string.Join("+", on)})";
        });
        // FFMpegCore has no method for aeval; its filter list is a List behind the read-only interface.
        if (filters.Arguments is not List<IAudioFilterArgument> arguments)
            throw new NotSupportedException("This FFMpegCore version keeps its audio filters in a list this code cannot add to.");
        arguments.Add(new Aeval(string.Join("|", perChannel)));
        return filters;
    }

    /// <summary>ffmpeg's aeval filter, its expressions quoted so their commas stay inside the filter.</summary>
    private sealed class Aeval(string expressions) : IAudioFilterArgument
    {
        public string Key => "aeval";
        public string Value => $"'{expressions}':c=same";
    }

    /// <summary>
    /// Runs ffmpeg; cancelling (or <paramref name="timeout"/>, when given) kills it. A timeout surfaces as <see cref="TimeoutException"/>,
    /// a failure as FFMpegCore's <c>FFMpegProcessException</c> carrying ffmpeg's error lines — or, when <paramref name="reader"/>
    /// stopped ffmpeg by failing (a length limit, a stall), as the reader's own exception.
    /// </summary>
    public static async Task RunAsync(FFMpegArgumentProcessor processor, FfmpegOptions options, TimeSpan? timeout, CancellationToken cancellationToken,
        F32Reader? reader = null)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t)
            limit.CancelAfter(t);
        try
        {
            // Only errors on stderr: FFMpegCore keeps every line of it in memory.
            await processor.WithLogLevel(FFMpegLogLevel.Error).ProcessAsynchronously(throwOnError: true, options.FFOptions, limit.Token);
        }
        catch (Exception) when (reader?.Failure is { } failure)
        {
            failure.Throw();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"ffmpeg ran longer than {timeout?.TotalMinutes:0.#} min and was stopped.");
        }
        reader?.Failure?.Throw();
    }

    private static string Sum(IEnumerable<int> channels) => string.Join("+", channels.Select(c => $"c{c}"));
}
