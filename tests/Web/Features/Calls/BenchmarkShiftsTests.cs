using System.Globalization;
using System.Text.RegularExpressions;
using CallReview.Tests.Transcription.Whisper;

namespace CallReview.Tests.Web.Features.Calls;

/// <summary><c>benchmark --shifts</c>: word errors with each file shifted by silence at its start, shift by shift.</summary>
// Console.Out is the process's: tests that redirect it run alone.
[Collection(ConsoleCollection.Name)]
public sealed partial class BenchmarkShiftsTests
{
    private static readonly string Call = Path.Combine(RepoRoot.Path, "samples", "calls", "password-lockout-bad.mp3");

    [Fact]
    public async Task Shifts_AtZeroCountTheFilesOwnWords_AndEachShiftIsARowOfTheMean()
    {
        NativeRequirement.Require();
        using var app = new CallReviewApp();
        using var client = app.CreateClient();
        var before = LeftInTemp();

        var plain = await BenchmarkRun.RunAsync(app, [Call, "--model", TestData.Model("ggml-tiny.en-q8_0.bin"), "--threads", "2", "--runs", "1"]);
        var shifted = await BenchmarkRun.RunAsync(app, [Call, "--model", TestData.Model("ggml-tiny.en-q8_0.bin"), "--threads", "2", "--shifts", "0,40"]);

        var words = int.Parse(BenchmarkRun.ScriptWords().Match(plain).Groups[1].Value, CultureInfo.InvariantCulture);
        var wer = double.Parse(BenchmarkRun.PerChannelRow().Match(plain).Groups["wer"].Value, CultureInfo.InvariantCulture);
        Assert.Contains($"(1 files, {words} script words", shifted);
        var rows = ShiftRow().Matches(shifted).ToDictionary(m => m.Groups[1].Value, m => (Raw: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            Normalized: double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)));
        Assert.True(rows.ContainsKey("0") && rows.ContainsKey("40") && rows.ContainsKey("mean"), shifted);
        // The unshifted copy is the file's own samples: the per-channel pass writes the words it writes for the file.
        Assert.Equal((int)Math.Round(wer * words), (int)rows["0"].Raw);
        Assert.Equal((rows["0"].Raw + rows["40"].Raw) / 2, rows["mean"].Raw, 1);
        Assert.Equal((rows["0"].Normalized + rows["40"].Normalized) / 2, rows["mean"].Normalized, 1);
        // Turn starts are measured against the timing moved by the shift: at 0 ms the per-channel pass's worst is the file's own.
        Assert.Contains("worst turn start s, pass by pass", shifted);
        var worst = WorstTurnStart().Match(shifted);
        Assert.True(worst.Success, shifted);
        Assert.Equal(BenchmarkRun.PerChannelRow().Match(plain).Groups["max"].Value, worst.Groups[1].Value);
        // The shifted copies are deleted with their folder.
        Assert.Equal(before, LeftInTemp());
    }

    [Fact]
    public async Task Shifts_NotMilliseconds_AreRefusedSayingWhatTheyTake()
    {
        using var app = new CallReviewApp();
        using var client = app.CreateClient();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            BenchmarkRun.RunAsync(app, [Call, "--model", TestData.Model("ggml-tiny.en-q8_0.bin"), "--shifts", "0,-5"]));

        Assert.Contains("milliseconds separated by commas", refused.Message);
    }

    private static int LeftInTemp() => Directory.GetDirectories(Path.GetTempPath(), "callreview-shifts-*").Length;

    /// <summary>A row of the shifts table: the shift (or mean), then the first pass's errors / normalised errors.</summary>
    [GeneratedRegex(@"^ *(\d+|mean) +(\d+(?:\.\d)?) / (\d+(?:\.\d)?)", RegexOptions.Multiline)]
    private static partial Regex ShiftRow();

    /// <summary>The 0 ms row's worst turn start of its first pass.</summary>
    [GeneratedRegex(@"^ +0 .*?   +(\d+\.\d\d) ", RegexOptions.Multiline)]
    private static partial Regex WorstTurnStart();
}
