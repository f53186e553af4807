using CallReview.Transcription.Audio;

namespace CallReview.Tests.Transcription.Audio;

public sealed class PlaybackTranscoderTests : IDisposable
{
    private readonly AudioTestFiles _files = new();
    private readonly PlaybackTranscoder _transcoder = new(AudioTestFiles.Options);
    private readonly AudioProbe _probe = new(AudioTestFiles.Options);

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("jfk.wav", 1, 11.0)]
    [InlineData("kennedy-stereo.wav", 2, 21.0)]
    [InlineData("multichannel-3ch.wav", 2, 9.46)]
    public async Task Writes_a_playable_mp3_with_at_most_two_channels(string name, int channels, double seconds)
    {
        var destination = _files.PathOf(Path.Combine("media", "call.mp3"));

        await _transcoder.CreateAsync(TestData.Audio(name), destination);

        var info = await _probe.ProbeAsync(destination, AudioLimits.None);
        Assert.Equal("mp3", info.FormatName);
        Assert.Equal("mp3", info.Codec);
        Assert.Equal(channels, info.Channels);
        Assert.InRange(info.DurationSeconds, seconds - 0.2, seconds + 0.2);
        Assert.Equal(["call.mp3"], Directory.GetFiles(Path.GetDirectoryName(destination)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Replaces_an_existing_copy()
    {
        var destination = _files.PathOf("call.mp3");
        await File.WriteAllTextAsync(destination, "old");

        await _transcoder.CreateAsync(TestData.Audio("jfk.mp3"), destination);

        Assert.Equal(1, (await _probe.ProbeAsync(destination, AudioLimits.None)).Channels);
    }

    [Fact]
    public async Task Leaves_nothing_behind_when_ffmpeg_fails()
    {
        var destination = _files.PathOf("call.mp3");
        var broken = new PlaybackTranscoder(AudioTestFiles.Options with { ProcessTimeout = TimeSpan.FromMilliseconds(1) });

        await Assert.ThrowsAsync<TimeoutException>(() => broken.CreateAsync(TestData.Audio("kennedy-stereo.wav"), destination));

        Assert.Empty(Directory.GetFiles(_files.Dir));
    }
}
