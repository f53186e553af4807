using FFMpegCore;

namespace CallReview.Transcription.Audio;

/// <summary>A lossless copy of a recording with spans silenced: what replaces an original that held card data.</summary>
public sealed class MutedCopy(FfmpegOptions options)
{
    public const string Extension = ".flac";

    private readonly AudioProbe _probe = new(options);

    /// <summary>
    /// Writes <paramref name="sourcePath"/>'s first audio stream as FLAC at <paramref name="destinationPath"/> (replaced atomically,
    /// so the source may be the destination), every channel and the sample rate kept, <paramref name="spans"/> silent.
    /// </summary>
    public async Task WriteAsync(string sourcePath, string destinationPath, IReadOnlyList<MutedSpan> spans, CancellationToken cancellationToken = default)
    {
        var info = await _probe.ProbeAsync(sourcePath, AudioLimits.None, cancellationToken);
        await AtomicFile.WriteAsync(destinationPath, async temp =>
        {
            var processor = FFMpegArguments.FromFileInput(FfmpegRun.Input(sourcePath))
                .OutputToFile(temp, overwrite: true, output => output.FirstAudioStream()
                    .WithAudioFilters(f => f.Mute(spans, info.Channels))
                    .WithAudioCodec("flac").ForceFormat("flac"));
            await FfmpegRun.RunAsync(processor, options, options.ProcessTimeout, cancellationToken);
        });
    }
}
