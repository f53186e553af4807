using CallReview.Transcription.Audio;
using FFMpegCore.Exceptions;

namespace CallReview.Tests.Transcription.Audio;

public sealed class AudioProbeTests : IDisposable
{
    private static readonly AudioLimits Limits = new(MaxBytes: 100L << 20, MaxDurationSeconds: 3 * 3600);
    private readonly AudioTestFiles _files = new();
    private readonly AudioProbe _probe = new(AudioTestFiles.Options);

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("jfk.wav", "wav", "pcm_s16le", 1)]
    [InlineData("jfk.mp3", "mp3", "mp3", 1)]
    public async Task Probes_jfk_as_eleven_seconds_of_mono(string name, string format, string codec, int channels)
    {
        var info = await _probe.ProbeAsync(TestData.Audio(name), Limits);

        Assert.Equal(format, info.FormatName);
        Assert.Equal(codec, info.Codec);
        Assert.Equal(channels, info.Channels);
        Assert.InRange(info.DurationSeconds, 10.9, 11.2);
        Assert.True(info.SampleRate > 0);
        Assert.True(info.BitRate > 0);
        Assert.Equal(new FileInfo(TestData.Audio(name)).Length, info.SizeBytes);
    }

    [Theory]
    [InlineData("kennedy-stereo.wav", 2, 21.0)]
    [InlineData("multichannel-3ch.wav", 3, 9.46)]
    [InlineData("junkchunk-16k.wav", 1, 8.2)]
    public async Task Probes_channel_counts_and_accepts_odd_wavs(string name, int channels, double seconds)
    {
        var info = await _probe.ProbeAsync(TestData.Audio(name), Limits);

        Assert.Equal(channels, info.Channels);
        Assert.Equal(16000, info.SampleRate);
        Assert.InRange(info.DurationSeconds, seconds - 0.2, seconds + 0.2);
    }

    [Fact]
    public async Task Rejects_an_empty_file()
    {
        var path = _files.PathOf("empty.wav");
        await File.WriteAllBytesAsync(path, []);

        var e = await Assert.ThrowsAsync<AudioRejectedException>(() => _probe.ProbeAsync(path, Limits));
        Assert.Equal(AudioRejection.Empty, e.Reason);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public async Task Rejects_a_truncated_wav()
    {
        var path = _files.PathOf("truncated.wav");
        await using (var source = File.OpenRead(TestData.Audio("jfk.wav")))
        {
            var head = new byte[100];
            await source.ReadExactlyAsync(head);
            await File.WriteAllBytesAsync(path, head);
        }

        var e = await Assert.ThrowsAsync<AudioRejectedException>(() => _probe.ProbeAsync(path, Limits));
        Assert.Equal(AudioRejection.TooShort, e.Reason);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public async Task Rejects_a_text_file_named_wav()
    {
        var path = _files.PathOf("notes.wav");
        await File.WriteAllTextAsync(path, "Call notes: customer wants a refund.\n");

        var e = await Assert.ThrowsAsync<AudioRejectedException>(() => _probe.ProbeAsync(path, Limits));
        Assert.Equal(AudioRejection.NotAudio, e.Reason);
        Assert.Contains("could not be read as audio", e.Message);
        var tool = Assert.IsType<FFProbeProcessException>(e.InnerException);
        Assert.Contains(tool.StandardError, line => line.Contains("Invalid data"));
    }

    [Fact]
    public async Task Rejects_an_image()
    {
        var path = await _files.FfmpegAsync("picture.png", "-f", "lavfi", "-i", "color=c=red:s=32x32", "-frames:v", "1");

        var e = await Assert.ThrowsAsync<AudioRejectedException>(() => _probe.ProbeAsync(path, Limits));
        Assert.Equal(AudioRejection.NoAudioStream, e.Reason);
        Assert.Equal("The file contains no audio (it holds video).", e.Message);
    }

    [Fact]
    public async Task Rejects_a_zero_second_wav()
    {
        var path = await _files.FfmpegAsync("zero.wav", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "0");

        var e = await Assert.ThrowsAsync<AudioRejectedException>(() => _probe.ProbeAsync(path, Limits));
        Assert.Equal(AudioRejection.NoLength, e.Reason);
        Assert.Contains("no length", e.Message);
    }

    [Fact]
    public async Task Rejects_a_recording_over_the_duration_limit()
    {
        var e = await Assert.ThrowsAsync<AudioRejectedException>(() =>
            _probe.ProbeAsync(TestData.Audio("jfk.wav"), Limits with { MaxDurationSeconds = 10 }));

        Assert.Equal(AudioRejection.TooLong, e.Reason);
        Assert.Equal("The recording is 0:11 long; the longest accepted is 0:10.", e.Message);
    }

    [Fact]
    public async Task Rejects_a_recording_a_fraction_of_a_second_over_the_limit_saying_just_over()
    {
        var e = await Assert.ThrowsAsync<AudioRejectedException>(() =>
            _probe.ProbeAsync(TestData.Audio("jfk.wav"), Limits with { MaxDurationSeconds = 10.9 }));

        Assert.Equal("The recording is just over 0:11 long; the longest accepted is 0:11.", e.Message);
    }

    [Fact]
    public async Task Rejects_a_file_over_the_size_limit_without_probing()
    {
        var e = await Assert.ThrowsAsync<AudioRejectedException>(() =>
            _probe.ProbeAsync(TestData.Audio("jfk.wav"), Limits with { MaxBytes = 100 << 10 }));

        Assert.Equal(AudioRejection.TooLarge, e.Reason);
        Assert.Equal("The file is 343.8 KB; the largest accepted is 100 KB.", e.Message);
    }

    [Fact]
    public async Task Hashes_a_file_with_sha256()
    {
        // The value published in the test data README.
        Assert.Equal("59dfb9a4acb36fe2a2affc14bacbee2920ff435cb13cc314a08c13f66ba7860e",
            await FileHash.Sha256Async(TestData.Audio("jfk.wav")));
    }
}
