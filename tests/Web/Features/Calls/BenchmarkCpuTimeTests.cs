using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CallReview.Web.Features.Calls;
using CallReview.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Calls;

/// <summary>
/// The benchmark's CPU seconds: a child process's work counts once it has exited, this process's own as it goes; and its
/// breakdown of one run's CPU seconds adds up to that run's figure.
/// </summary>
public sealed partial class BenchmarkCpuTimeTests
{
    [Fact]
    public async Task Benchmark_WhereTheTimeGoes_RowsAddUpToTheRunsCpuSeconds()
    {
        using var app = new CallReviewApp();
        using var client = app.CreateClient();
        var benchmark = app.Services.GetServices<ICliCommand>().Single(c => c.Name == "benchmark");
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            Assert.Equal(0, await benchmark.RunAsync(
                [Path.Combine(RepoRoot.Path, "samples", "calls", "billing-double-charge.mp3"), "--model", TestData.Model("ggml-tiny.en-q8_0.bin"), "--threads", "2", "--runs", "1"],
                CancellationToken.None));
        }
        finally
        {
            Console.SetOut(console);
        }

        var text = output.ToString();
        var breakdown = text[text.IndexOf("where the time goes", StringComparison.Ordinal)..];
        var rows = BreakdownRow().Matches(breakdown).ToDictionary(m => m.Groups[1].Value.Trim(), m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        var summed = new[] { "speech detection", "language detection", "per-input set-up", "encoder", "decoder", "model loading", "ffmpeg's own process", "rest of the CPU seconds" };
        Assert.All(summed, name => Assert.Contains(name, rows.Keys));
        // Each row is printed to the millisecond, so eight of them may be off by 4 ms together.
        Assert.InRange(summed.Sum(name => rows[name]), rows["cpu s"] - 0.005, rows["cpu s"] + 0.005);
        Assert.True(rows["encoder"] > 0 && rows["speech detection"] > 0, breakdown);
    }

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
