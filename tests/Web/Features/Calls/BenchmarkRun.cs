using System.Text.RegularExpressions;
using CallReview.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Calls;

/// <summary>The benchmark command run as the command line runs it, its console output captured (tests doing so share <see cref="ConsoleCollection"/>).</summary>
internal static partial class BenchmarkRun
{
    public static async Task<string> RunAsync(CallReviewApp app, string[] args)
    {
        var benchmark = app.Services.GetServices<ICliCommand>().Single(c => c.Name == "benchmark");
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            Assert.Equal(0, await benchmark.RunAsync(args, CancellationToken.None));
        }
        finally
        {
            Console.SetOut(console);
        }
        return output.ToString();
    }

    /// <summary>The per-channel pass's row: wall seconds, WER, turn-start error max, first words right of turns.</summary>
    [GeneratedRegex(@"^CallReview per channel +(?<wall>\d+\.\d\d) .*? (?<wer>\d\.\d{3}) \d\.\d{3}  (?<max>\d+\.\d\d) / \d+\.\d\d +(?<right>\d+)/(?<turns>\d+)", RegexOptions.Multiline)]
    public static partial Regex PerChannelRow();

    [GeneratedRegex(@"^script \S+: (\d+) words", RegexOptions.Multiline)]
    public static partial Regex ScriptWords();
}
