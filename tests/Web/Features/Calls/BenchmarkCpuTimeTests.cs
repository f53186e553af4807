using System.Diagnostics;
using CallReview.Web.Features.Calls;

namespace CallReview.Tests.Web.Features.Calls;

/// <summary>The benchmark's CPU seconds: a child process's work counts once it has exited, this process's own as it goes.</summary>
public sealed class BenchmarkCpuTimeTests
{
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
