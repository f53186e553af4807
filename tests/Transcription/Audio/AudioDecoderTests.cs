using CallReview.Transcription.Audio;

namespace CallReview.Tests.Transcription.Audio;

public sealed class AudioDecoderTests : IDisposable
{
    private readonly AudioTestFiles _files = new();
    private readonly AudioDecoder _decoder = new(AudioTestFiles.Options);

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Decodes_an_mp3_to_16k_samples()
    {
        var samples = await _decoder.DecodeMonoMixAsync(TestData.Audio("jfk.mp3"));

        Assert.InRange(samples.Length, 11 * 16000 - 1600, 11 * 16000 + 1600);
        Assert.True(Rms(samples.Span) > 0.01);
    }

    [Fact]
    public async Task Decodes_the_requested_channel()
    {
        var path = await _files.ToneLeftSilenceRightAsync();

        var left = await _decoder.DecodeChannelAsync(path, 0);
        var right = await _decoder.DecodeChannelAsync(path, 1);

        Assert.Equal(3 * 16000, left.Length);
        Assert.Equal(3 * 16000, right.Length);
        Assert.InRange(Rms(left.Span), 0.05, 1);
        Assert.Equal(0, Rms(right.Span));
    }

    [Fact]
    public async Task Mixes_every_channel_of_a_three_channel_file()
    {
        var samples = await _decoder.DecodeMonoMixAsync(TestData.Audio("multichannel-3ch.wav"));

        Assert.InRange(samples.Length, 9.4 * 16000, 9.5 * 16000);
        Assert.True(Rms(samples.Span) > 0.005);
    }

    [Fact]
    public async Task Refuses_a_channel_the_file_does_not_have()
    {
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _decoder.DecodeChannelAsync(TestData.Audio("jfk.wav"), 1));
        Assert.Contains("1 channel(s)", e.Message);
    }

    [Fact]
    public async Task A_consumer_slower_than_ffmpeg_still_gets_every_sample()
    {
        // ffmpeg writes the last samples into the pipe and exits while the consumer (transcribing as it goes) is blocks
        // behind: they are still read. Twenty seconds of stereo at 16 kHz is 320,000 frames exactly.
        var path = await _files.FfmpegAsync("call.wav", "-i", TestData.Audio("kennedy-stereo.wav"), "-t", "20", "-ar", "16000", "-c:a", "pcm_s16le");
        var info = await _decoder.ProbeAsync(path);
        Assert.Equal(2, info.Channels);
        long frames = 0;

        await _decoder.StreamChannelsAsync(path, info, double.MaxValue, block =>
        {
            frames += block.Length / 2;
            Thread.Sleep(50);
        });

        Assert.Equal(20 * 16000, frames);
    }

    [Fact]
    public async Task Cancelling_stops_the_decode()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _decoder.DecodeMonoMixAsync(TestData.Audio("kennedy-stereo.wav"), cancel.Token));
    }

    private static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var s in samples)
            sum += s * s;
        return samples.IsEmpty ? 0 : Math.Sqrt(sum / samples.Length);
    }
}
