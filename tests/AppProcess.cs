using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CallReview.Tests;

/// <summary>
/// The built CallReview.Web executable as a real separate process (serving or running a command) on its own
/// data folder, its output collected for failure messages.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly StringBuilder _output = new();

    public Process Process { get; }

    private AppProcess(Process process) => Process = process;

    public static AppProcess Start(string dataDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "CallReview.Web"))
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["CallReview__DataDirectory"] = dataDirectory;
        info.Environment["CALLREVIEW_TESTDATA"] = TestData.Root;
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        var app = new AppProcess(Process.Start(info)!);
        app.Process.OutputDataReceived += (_, e) => app.Append(e.Data);
        app.Process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        app.Process.BeginOutputReadLine();
        app.Process.BeginErrorReadLine();
        return app;
    }

    /// <summary>A TCP port nobody listens on right now, for a served process.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until the served process answers /healthz; fails with its output if it exits or never answers.</summary>
    public async Task WaitUntilServingAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            Assert.False(Process.HasExited, "the app exited while starting\n" + Output());
            Assert.True(DateTime.UtcNow < deadline, "the app never answered /healthz\n" + Output());
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
    }

    /// <summary>Everything the process printed so far (stdout and stderr interleaved).</summary>
    public string Output()
    {
        lock (_output)
            return _output.ToString();
    }

    private void Append(string? line)
    {
        if (line is not null)
            lock (_output)
                _output.AppendLine(line);
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }
        Process.Dispose();
    }
}
