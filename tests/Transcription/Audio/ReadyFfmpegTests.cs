using CallReview.Tests.Transcription.Whisper;
using CallReview.Transcription;
using CallReview.Transcription.Audio;
using CallReview.Transcription.Whisper;

namespace CallReview.Tests.Transcription.Audio;

/// <summary>
/// A worker's decoder starts the next call's ffmpeg before the call comes (<see cref="AudioDecoder.PrepareNext"/>): what it
/// decodes is what a cold start decodes, sample for sample, a broken file or a cancel ends it as they end a cold one, and
/// one never used is stopped with the decoder.
/// </summary>
public sealed class ReadyFfmpegTests : IDisposable
{
    private readonly AudioTestFiles _files = new();
    private readonly AudioDecoder _cold = new(AudioTestFiles.Options);
    private readonly AudioDecoder _keeping = new(AudioTestFiles.Options, keepsOneReady: true);

    public void Dispose()
    {
        _keeping.Dispose();
        _files.Dispose();
    }

    private static readonly string Calls = Path.Combine(RepoRoot.Path, "samples", "calls");

    private static bool Waits(AudioDecoder decoder, int channels) => decoder.Ready is { Waiting: true } ready && ready.Channels == channels;

    private static async Task<float[]> FramesAsync(AudioDecoder decoder, string path, AudioInfo info, CancellationToken ct = default)
    {
        var frames = new List<float>();
        await decoder.StreamChannelsAsync(path, info, double.MaxValue, block => frames.AddRange(block), ct);
        return [.. frames];
    }

    [Fact]
    public async Task EverySampleCall_DecodedByAReadyFfmpeg_IsSampleForSampleWhatAColdStartDecodes()
    {
        var probe = new AudioProbe(AudioTestFiles.Options);
        foreach (var path in Directory.EnumerateFiles(Calls, "*.mp3").Order())
        {
            var info = await probe.ProbeAsync(path, AudioLimits.None);
            _keeping.PrepareNext(info.Channels);
            Assert.True(Waits(_keeping, info.Channels));

            var ready = await FramesAsync(_keeping, path, info);

            Assert.False(Waits(_keeping, info.Channels));
            var cold = await FramesAsync(_cold, path, info);
            Assert.True(cold.Length > 30 * 16000 * info.Channels, path);
            Assert.True(cold.AsSpan().SequenceEqual(ready), $"{Path.GetFileName(path)}: {ready.Length} samples from the ready ffmpeg, {cold.Length} cold");
        }
    }

    [Theory]
    [InlineData("call.wav", "pcm_s16le")]
    [InlineData("call.flac", "flac")]
    [InlineData("call.ogg", "libvorbis")]
    [InlineData("call.m4a", "aac")] // its index after its audio: ffmpeg seeks to it
    [InlineData("it's a call.mp3", "libmp3lame")] // a quote in the path the list carries
    public async Task OtherFormatsAndNames_DecodedByAReadyFfmpeg_AreWhatAColdStartDecodes(string name, string codec)
    {
        var path = await _files.FfmpegAsync(name, "-i", Path.Combine(Calls, "billing-double-charge.mp3"), "-t", "20", "-c:a", codec);
        var info = await new AudioProbe(AudioTestFiles.Options).ProbeAsync(path, AudioLimits.None);
        _keeping.PrepareNext(2);

        var ready = await FramesAsync(_keeping, path, info);

        Assert.False(Waits(_keeping, 2));
        var cold = await FramesAsync(_cold, path, info);
        Assert.InRange(cold.Length, 2 * 19.9 * 16000, 2 * 20.1 * 16000);
        Assert.Equal(cold, ready);
    }

    [Fact]
    public async Task ABrokenFile_FailsWithFfmpegsError_AndTheNextCallGetsAFreshReadyFfmpeg()
    {
        var broken = _files.PathOf("broken.mp3");
        await File.WriteAllBytesAsync(broken, Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var info = new AudioInfo("mp3", 60, 2, 16000, "mp3", null, 50_000);
        _keeping.PrepareNext(2);

        var e = await Assert.ThrowsAnyAsync<FFMpegCore.Exceptions.FFMpegException>(() => FramesAsync(_keeping, broken, info));

        // ffmpeg's own words for the file, as a cold start gives them, and which file.
        Assert.Contains("ffmpeg exited with non-zero exit-code", e.Message);
        Assert.Contains("Failed to read frame size", e.Message);
        Assert.Contains(broken, e.Message);
        _keeping.PrepareNext(2);
        Assert.True(Waits(_keeping, 2));
        var good = Path.Combine(Calls, "billing-double-charge.mp3");
        var goodInfo = await new AudioProbe(AudioTestFiles.Options).ProbeAsync(good, AudioLimits.None);
        Assert.Equal(await FramesAsync(_cold, good, goodInfo), await FramesAsync(_keeping, good, goodInfo));
    }

    [Fact]
    public async Task AFileThatIsGone_ThrowsFileNotFound()
    {
        _keeping.PrepareNext(2);
        var info = new AudioInfo("mp3", 60, 2, 16000, "mp3", null, 50_000);

        await Assert.ThrowsAsync<FileNotFoundException>(() => FramesAsync(_keeping, _files.PathOf("gone.mp3"), info));
    }

    [Fact]
    public async Task Cancelling_StopsTheReadyFfmpegsDecode()
    {
        // Ten minutes of noise: still decoding when cancelled from the first block.
        var path = _files.PathOf("long.wav");
        var random = new Random(7);
        var noise = Enumerable.Range(0, 600 * 8000).Select(_ => (float)(random.NextDouble() - 0.5) * 0.1f).ToArray();
        StereoWav.Write(path, noise, noise, 8000);
        var info = await new AudioProbe(AudioTestFiles.Options).ProbeAsync(path, AudioLimits.None);
        _keeping.PrepareNext(2);
        using var cancel = new CancellationTokenSource();
        var blocks = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _keeping.StreamChannelsAsync(path, info, double.MaxValue, _ => { if (++blocks == 1) cancel.Cancel(); }, cancel.Token)
                .WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Disposing_StopsTheWaitingFfmpeg_AndNoneIsStartedAfter()
    {
        var decoder = new AudioDecoder(AudioTestFiles.Options, keepsOneReady: true);
        decoder.PrepareNext(2);
        var ready = decoder.Ready!;
        Assert.True(ready.Waiting);

        decoder.Dispose();

        // The wait bounds a hang, it times nothing.
        await ready.Ended.WaitAsync(TimeSpan.FromSeconds(60));
        decoder.PrepareNext(2);
        Assert.Null(decoder.Ready);
    }

    [Fact]
    public Task AnFfmpegLeftWaitingByAProcessThatDied_IsReleasedWhenTheNextIsStarted() =>
        ReleasesAnOrphanAsync(() => _keeping.PrepareNext(2));

    [Fact]
    public Task AnFfmpegLeftWaitingByAProcessThatDied_IsReleasedWhenAWorkersDecoderIsMade() =>
        ReleasesAnOrphanAsync(() => new AudioDecoder(AudioTestFiles.Options, keepsOneReady: true).Dispose());

    private static async Task ReleasesAnOrphanAsync(Action release)
    {
        // A pid no process has (pids are under 2^22 on Linux), and an ffmpeg stand-in blocked opening its FIFO, as one left
        // by a killed worker would be.
        var fifo = Path.Combine(Path.GetTempPath(), $"callreview-ffmpeg-{(1 << 22) + 7}-{Guid.NewGuid():N}.fifo");
        await ProcessRunner.RunAsync("mkfifo", [fifo], TimeSpan.FromSeconds(10));
        var orphan = ProcessRunner.RunAsync("cat", [fifo], TimeSpan.FromSeconds(60));
        await Task.Delay(200);
        Assert.False(orphan.IsCompleted);

        release();

        await orphan.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(File.Exists(fifo));
    }

    [Fact]
    public void ADecoderNotMadeToKeepOne_StartsNone()
    {
        _cold.PrepareNext(2);

        Assert.Null(_cold.Ready);
    }

    [Fact]
    public async Task AWorkersSecondCall_IsDecodedByTheFfmpegItsFirstStarted_AndWrittenTheSame()
    {
        NativeRequirement.Require();
        var path = Path.Combine(Calls, "billing-double-charge.mp3");
        var info = await new AudioProbe(AudioTestFiles.Options).ProbeAsync(path, AudioLimits.None);
        using var model = WhisperModel.Load(TestData.Model("ggml-tiny.en-q8_0.bin"));
        using var vad = SileroSpeechDetector.Load(TestData.Model("ggml-silero-vad-v6.2.3-ggml.bin"));
        var transcriber = new CallTranscriber(_keeping, TranscriptionModels.Loaded(model, vad), new TranscriptionOptions { Threads = 2 });

        var first = await transcriber.TranscribeAsync(path, info, ChannelLayout.AgentLeft, "en");
        Assert.True(Waits(_keeping, 2));
        var second = await transcriber.TranscribeAsync(path, info, ChannelLayout.AgentLeft, "en");

        Assert.Equal(first.Turns.Select(t => (t.Speaker, t.StartMs, t.EndMs, t.Text)), second.Turns.Select(t => (t.Speaker, t.StartMs, t.EndMs, t.Text)));
        Assert.Contains(second.Turns, t => t.Speaker == "customer" && t.Text.Contains("charged twice", StringComparison.OrdinalIgnoreCase));
        // The second call's end started a third.
        Assert.True(Waits(_keeping, 2));
    }
}
