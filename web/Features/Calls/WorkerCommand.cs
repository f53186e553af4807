using CallReview.Transcription.Jobs;
using CallReview.Web.Infrastructure;

namespace CallReview.Web.Features.Calls;

/// <summary><c>worker [--once]</c>: a transcription worker process, running the retention schedule too; several may share one database.</summary>
public sealed class WorkerCommand(TranscriptionWorker worker, Retention.RetentionSchedule retention) : ICliCommand
{
    public string Name => "worker";
    public string Usage => "worker [--once]   (--once: stop when the queue is empty)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        Console.WriteLine($"worker {worker.WorkerId} waiting for transcription jobs (Ctrl+C to stop)");
        await retention.StartAsync(ct);
        try
        {
            await worker.RunAsync(stopWhenIdle: CommandLine.Flag(args, "--once"), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        await retention.StopAsync(CancellationToken.None);
        return 0;
    }
}
