using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace CallReview.Transcription.Audio;

/// <summary>An external tool failed, could not start or ran past its timeout. <see cref="StdErrTail"/> holds the end of what it printed.</summary>
public sealed class ToolFailedException : Exception
{
    public ToolFailedException(string tool, int? exitCode, bool timedOut, string stdErrTail, Exception? inner = null)
        : base(Describe(tool, exitCode, timedOut, stdErrTail), inner)
    {
        Tool = tool;
        ExitCode = exitCode;
        TimedOut = timedOut;
        StdErrTail = stdErrTail;
    }

    public string Tool { get; }

    /// <summary>Null when the tool never started or was killed.</summary>
    public int? ExitCode { get; }

    public bool TimedOut { get; }

    public string StdErrTail { get; }

    private static string Describe(string tool, int? exitCode, bool timedOut, string stdErrTail)
    {
        var name = Path.GetFileName(tool);
        var what = timedOut ? "timed out" : exitCode is { } code ? $"exited with code {code}" : "could not be run";
        return stdErrTail.Length == 0 ? $"{name} {what}." : $"{name} {what}: {stdErrTail.Trim()}";
    }
}

/// <summary>Runs command-line tools (ffmpeg, ffprobe) with an argument list, a timeout and cancellation; the one place processes are started.</summary>
public static class ProcessRunner
{
    /// <summary>How much of a tool's stderr is kept: enough for its error lines, bounded so a chatty tool can't fill memory.</summary>
    public const int StdErrTailChars = 4000;

    /// <summary>Runs the tool and returns its stdout as text. Throws <see cref="ToolFailedException"/> on a non-zero exit or timeout.</summary>
    public static async Task<string> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var stdout = "";
        await RunAsync(tool, arguments, async (stream, ct) =>
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
            stdout = await reader.ReadToEndAsync(ct);
        }, timeout, cancellationToken);
        return stdout;
    }

    /// <summary>
    /// Runs the tool, handing its stdout to <paramref name="readStdout"/> as a binary stream while it runs.
    /// On timeout or cancellation the whole process tree is killed; a timeout surfaces as <see cref="ToolFailedException"/>,
    /// a cancellation as <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async Task RunAsync(string tool, IEnumerable<string> arguments, Func<Stream, CancellationToken, Task> readStdout,
        TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ToolFailedException(tool, null, false, e.Message, e);
        }
        // Closed stdin: a tool that would prompt ("overwrite? [y/N]") fails instead of hanging.
        process.StandardInput.Close();
        var stdErr = ReadTailAsync(process.StandardError);

        using var timeoutSource = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        // Pipe reads don't reliably observe tokens; killing the tool closes the pipe and ends them.
        using (linked.Token.Register(() => Kill(process)))
        {
            try
            {
                var stdout = process.StandardOutput.BaseStream;
                await readStdout(stdout, linked.Token);
                // Drain whatever the reader left so the tool isn't blocked writing and can exit.
                await stdout.CopyToAsync(Stream.Null, linked.Token);
                await process.WaitForExitAsync(linked.Token);
                // A kill from the token can end the tool before anything above notices the token.
                linked.Token.ThrowIfCancellationRequested();
            }
            catch (Exception e)
            {
                Kill(process);
                await process.WaitForExitAsync(CancellationToken.None);
                var tail = await stdErr;
                cancellationToken.ThrowIfCancellationRequested();
                if (timeoutSource.IsCancellationRequested)
                    throw new ToolFailedException(tool, null, true, tail, e);
                throw;
            }
        }

        var errors = await stdErr;
        if (process.ExitCode != 0)
            throw new ToolFailedException(tool, process.ExitCode, false, errors);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static async Task<string> ReadTailAsync(StreamReader reader)
    {
        var tail = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            tail.Append(buffer, 0, read);
            if (tail.Length > 2 * StdErrTailChars)
                tail.Remove(0, tail.Length - StdErrTailChars);
        }
        return tail.Length > StdErrTailChars ? tail.ToString(tail.Length - StdErrTailChars, StdErrTailChars) : tail.ToString();
    }
}
