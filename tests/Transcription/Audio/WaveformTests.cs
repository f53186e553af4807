using CallReview.Transcription.Audio;

namespace CallReview.Tests.Transcription.Audio;

public sealed class WaveformTests : IDisposable
{
    private readonly AudioTestFiles _files = new();
    private readonly WaveformGenerator _generator = new(AudioTestFiles.Options);

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Peaks_follow_the_tone_channel_and_stay_flat_on_the_silent_one()
    {
        var path = await _files.ToneLeftSilenceRightAsync(seconds: 4);

        var peaks = await _generator.ComputeAsync(path);

        Assert.Equal(2, peaks.Channels);
        Assert.Equal(WaveformGenerator.PeaksPerSecond, peaks.PeaksPerSecond);
        Assert.Equal(4.0, peaks.Duration, 2);
        Assert.Equal(4 * WaveformGenerator.PeaksPerSecond, peaks.PairCount);
        // lavfi's sine is at 1/8 full scale: about ±16 of ±127.
        Assert.All(peaks.Data[0].Where((_, i) => i % 2 == 0), min => Assert.InRange(min, -17, -14));
        Assert.All(peaks.Data[0].Where((_, i) => i % 2 == 1), max => Assert.InRange(max, 14, 17));
        Assert.All(peaks.Data[1], value => Assert.Equal(0, value));
    }

    [Theory]
    [InlineData("jfk.mp3", 1)]
    [InlineData("kennedy-stereo.wav", 2)]
    [InlineData("multichannel-3ch.wav", 2)]
    public async Task Has_one_pair_per_interval_for_up_to_two_channels(string name, int channels)
    {
        var peaks = await _generator.ComputeAsync(TestData.Audio(name));

        Assert.Equal(channels, peaks.Channels);
        Assert.Equal(channels, peaks.Data.Length);
        Assert.InRange(peaks.PairCount, peaks.Duration * peaks.PeaksPerSecond, peaks.Duration * peaks.PeaksPerSecond + 1);
        Assert.Contains(peaks.Data[0], v => Math.Abs((int)v) > 20);
    }

    [Fact]
    public async Task Writes_json_the_reader_reads_back()
    {
        var destination = _files.PathOf("call.peaks.json");

        var written = await _generator.WriteFileAsync(TestData.Audio("kennedy-stereo.wav"), destination);

        var json = await File.ReadAllTextAsync(destination);
        Assert.StartsWith("""{"version":1,"channels":2,"sampleRate":16000,"peaksPerSecond":50,"duration":2""", json);
        Assert.Contains(""","bits":8,"data":[[""", json);
        await using var file = File.OpenRead(destination);
        var read = await WaveformPeaks.ReadAsync(file);
        Assert.Equal(written.Duration, read.Duration);
        Assert.Equal(written.Data, read.Data);
    }

    [Theory]
    [InlineData("""{"version":2,"channels":1,"sampleRate":16000,"peaksPerSecond":50,"duration":1,"bits":8,"data":[[0,0]]}""")]
    [InlineData("""{"version":1,"channels":1,"sampleRate":16000,"peaksPerSecond":50,"duration":1,"bits":16,"data":[[0,0]]}""")]
    [InlineData("""{"version":1,"channels":2,"sampleRate":16000,"peaksPerSecond":50,"duration":1,"bits":8,"data":[[0,0]]}""")]
    [InlineData("""{"version":1,"channels":1,"sampleRate":16000,"peaksPerSecond":50,"duration":1,"bits":8,"data":[[0,0,0]]}""")]
    public async Task Reader_refuses_what_it_does_not_understand(string json)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        await Assert.ThrowsAsync<InvalidDataException>(() => WaveformPeaks.ReadAsync(stream));
    }
}
