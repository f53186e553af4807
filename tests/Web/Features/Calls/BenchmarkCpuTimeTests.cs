using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CallReview.Web.Features.Calls;

namespace CallReview.Tests.Web.Features.Calls;

/// <summary>
/// The benchmark's CPU seconds: a child process's work counts once it has exited, this process's own as it goes; and its
/// breakdown of one run's CPU seconds adds up to that run's figure; its timeline shows every stage of a run; several files are
/// pooled. (Its warm-up runs are unmeasured: only their line is checked.)
/// </summary>
// Console.Out is the process's: tests that redirect it run alone.
[Collection(ConsoleCollection.Name)]
public sealed partial class BenchmarkCpuTimeTests
{
    [Fact]
    public async Task Benchmark_WhereTheTimeGoes_RowsAddUpToTheRunsCpuSecondsAndTheTimelineShowsEachStage()
    {
        using var app = new CallReviewApp();
        using var client = app.CreateClient();

        var text = await BenchmarkRun.RunAsync(app,
            [Path.Combine(RepoRoot.Path, "samples", "calls", "billing-double-charge.mp3"), "--model", TestData.Model("ggml-tiny.en-q8_0.bin"), "--threads", "2", "--runs", "1", "--warmup", "1", "--timeline"]);

        Assert.Contains("warmup 1 unmeasured run(s) of each of our passes", text);
        var timelineAt = text.IndexOf("timeline:", StringComparison.Ordinal);
        Assert.True(timelineAt > 0, text);
        var breakdown = text[text.IndexOf("where the time goes", StringComparison.Ordinal)..timelineAt];
        var rows = BreakdownRow().Matches(breakdown).ToDictionary(m => m.Groups[1].Value.Trim(), m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        var summed = new[] { "speech detection", "language detection", "per-input set-up", "encoder", "decoder", "model loading", "ffmpeg's own process", "rest of the CPU seconds" };
        Assert.All(summed, name => Assert.Contains(name, rows.Keys));
        // Each row is printed to the millisecond, so eight of them may be off by 4 ms together.
        Assert.InRange(summed.Sum(name => rows[name]), rows["cpu s"] - 0.005, rows["cpu s"] + 0.005);
        Assert.True(rows["encoder"] > 0 && rows["speech detection"] > 0, breakdown);

        // Every stage, each once per model or track, the packs' engine runs inside them, and a chart row per thread.
        var timeline = text[timelineAt..];
        var spans = TimelineRow().Matches(timeline).Select(m => (Start: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            End: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), What: m.Groups[3].Value)).ToList();
        string[] once = ["loading the whisper model", "loading the speech detector", "ffmpeg, until its first samples (started then, or before the call)",
            "ffmpeg decoding, its samples read as they come", "detecting speech of agent", "detecting speech of customer"];
        Assert.All(once, what => Assert.Single(spans, s => s.What == what));
        Assert.Contains(spans, s => s.What.StartsWith("pack of agent: ", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.What.StartsWith("pack of customer: ", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.What.StartsWith("  encoder and decoder, ", StringComparison.Ordinal));
        Assert.All(spans, s => Assert.True(0 <= s.Start && s.Start <= s.End, $"{s.What}: {s.Start}-{s.End}"));
        Assert.Equal(spans.Single(s => s.What == "ffmpeg, until its first samples (started then, or before the call)").End,
            spans.Single(s => s.What == "ffmpeg decoding, its samples read as they come").Start);
        Assert.Matches(@"\n  T1 +\|[LFDIPW.]{72}\|", timeline);
        Assert.Matches(@"cores idle \d+\.\d{3} s of 2 x ", timeline);
    }

    [Fact]
    public async Task Benchmark_SeveralFiles_PoolsTheirSecondsWordsAndTurns()
    {
        using var app = new CallReviewApp();
        using var client = app.CreateClient();
        string[] calls = ["address-change-moving", "password-lockout-bad"];

        var text = await BenchmarkRun.RunAsync(app,
            [.. calls.Select(c => Path.Combine(RepoRoot.Path, "samples", "calls", c + ".mp3")), "--model", TestData.Model("ggml-tiny.en-q8_0.bin"), "--threads", "2", "--runs", "1"]);

        var pooledAt = text.IndexOf("all 2 files", StringComparison.Ordinal);
        Assert.True(pooledAt > 0, text);
        var perFile = BenchmarkRun.PerChannelRow().Matches(text[..pooledAt]).ToList();
        Assert.Equal(2, perFile.Count);
        var pooled = BenchmarkRun.PerChannelRow().Match(text, pooledAt);
        Assert.True(pooled.Success, text);
        double Number(Match row, string group) => double.Parse(row.Groups[group].Value, CultureInfo.InvariantCulture);
        // Seconds summed (each printed to the hundredth), WER as all errors over all words, turn starts over both calls' turns.
        Assert.InRange(Number(pooled, "wall"), perFile.Sum(r => Number(r, "wall")) - 0.011, perFile.Sum(r => Number(r, "wall")) + 0.011);
        var words = BenchmarkRun.ScriptWords().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, words.Count);
        var errors = perFile.Select((r, i) => (int)Math.Round(Number(r, "wer") * words[i])).ToList();
        Assert.Contains(FormattableString.Invariant($"CallReview per channel {errors.Sum()} errors in {words.Sum()} words"), text);
        Assert.Equal(Math.Round(errors.Sum() / (double)words.Sum(), 3), Number(pooled, "wer"));
        Assert.Equal(perFile.Max(r => Number(r, "max")), Number(pooled, "max"));
        Assert.Equal($"{perFile.Sum(r => int.Parse(r.Groups["right"].Value, CultureInfo.InvariantCulture))}/{perFile.Sum(r => int.Parse(r.Groups["turns"].Value, CultureInfo.InvariantCulture))}",
            $"{pooled.Groups["right"].Value}/{pooled.Groups["turns"].Value}");
    }

    /// <summary>A timeline row: its start and end in ms, then (past its thread and cores) what ran.</summary>
    [GeneratedRegex(@"^  +(\d+) +(\d+)  T\d+ +\d+  (.+)$", RegexOptions.Multiline)]
    private static partial Regex TimelineRow();

    /// <summary>A breakdown row: its name, then its seconds.</summary>
    [GeneratedRegex(@"^  (\S.{0,27}?)\s+(-?\d+\.\d{3})\b", RegexOptions.Multiline)]
    private static partial Regex BreakdownRow();

    [Fact]
    public void CpuTime_CountsAChildProcessOnceItHasExited()
    {
        var before = CpuTime.OfChildren();
        // About half a second of a shell counting: CPU, not waiting.
        using var busy = Process.Start(new ProcessStartInfo("sh", ["-c", "i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done"]))!;
        busy.WaitForExit();

        var spent = CpuTime.OfChildren() - before;

        Assert.InRange(spent.TotalSeconds, 0.05, 30);
        Assert.True(CpuTime.OfSelfAndChildren() >= CpuTime.OfChildren() + TimeSpan.FromSeconds(0.01), "this process's own CPU is counted too");
    }
}
