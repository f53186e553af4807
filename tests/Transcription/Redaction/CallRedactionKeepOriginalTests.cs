using CallReview.Db;
using CallReview.Tests.Transcription.Audio;
using CallReview.Transcription.Audio;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Transcription.Redaction;

/// <summary>
/// The same call as <see cref="CallRedactionTests"/> with <c>CallReview:Redaction:KeepOriginal=true</c>: the upload is
/// kept as it came, card number audible, while what a reviewer plays — the playback copy and peaks — is still muted.
/// </summary>
public sealed class CallRedactionKeepOriginalTests(CallRedactionKeepOriginalTests.KeepingFixture app) : IClassFixture<CallRedactionKeepOriginalTests.KeepingFixture>
{
    public sealed class KeepingFixture : CallRedactionTests.Fixture
    {
        public KeepingFixture() => Settings["CallReview:Redaction:KeepOriginal"] = "true";
    }

    [Fact]
    public async Task Original_IsKeptAsUploaded_WithTheCardNumberStillAudible()
    {
        var (_, _, original) = await app.FilesAsync();

        Assert.Equal(app.UploadedOriginal, original);
        Assert.True(File.Exists(original), "the kept original is gone");
        await using (var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
            Assert.Equal("wav", await connection.ExecuteScalarAsync<string>("SELECT Format FROM Recording WHERE CallId = @CallId", new { app.CallId }));
        var customer = await new AudioDecoder(new FfmpegOptions()).DecodeChannelAsync(original, 1);
        Assert.True(Loudness.Rms(customer, app.Digits.Start, app.Digits.End) > 0.01, "the kept original was muted");
    }

    [Fact]
    public async Task PlaybackCopyAndPeaks_AreStillMutedInTheSpans()
    {
        var (playback, peaksPath, _) = await app.FilesAsync();
        var customer = await new AudioDecoder(new FfmpegOptions()).DecodeChannelAsync(playback, 1);

        Assert.NotEmpty(app.Redactions);
        foreach (var span in app.Redactions)
            Assert.True(Loudness.Rms(customer, span.StartMs / 1000.0 + 0.05, span.EndMs / 1000.0 - 0.05) < 1e-3, $"{span.Kind} span audible in the playback copy");
        Assert.True(Loudness.Rms(customer, app.Digits.Start, app.Digits.End) < 1e-3, "the card number is audible in the playback copy");
        var peaks = await WaveformPeaks.ReadFileAsync(peaksPath!);
        foreach (var span in app.Redactions)
            Assert.All(peaks.Data[1][(2 * (int)(span.StartMs / 1000.0 * peaks.PeaksPerSecond))..(2 * (int)(span.EndMs / 1000.0 * peaks.PeaksPerSecond))], v => Assert.Equal(0, v));
    }
}
