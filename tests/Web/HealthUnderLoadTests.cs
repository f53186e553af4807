using System.Net;

namespace CallReview.Tests.Web;

/// <summary>
/// /healthz is anonymous, so anyone can call it as often as they like: the app as its own process on real
/// Kestrel must survive a burst of concurrent health checks (they once reached a non-thread-safe whisper.cpp
/// call on every request and aborted the process).
/// </summary>
public sealed class HealthUnderLoadTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("callreview-health-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task ConcurrentAnonymousHealthChecks_ProcessStaysUpAndAnswers()
    {
        var url = $"http://127.0.0.1:{AppProcess.FreePort()}";
        using var app = AppProcess.Start(_data, new Dictionary<string, string>
        {
            ["CallReview__Worker__Enabled"] = "false",
            ["CallReview__Whisper__ModelPath"] = TestData.Model("ggml-tiny.en-q8_0.bin"),
        }, "--urls", url);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };

        await app.WaitUntilServingAsync(http);

        // 32 clients, each asking again as soon as it has its answer, for five seconds.
        var answered = 0;
        var failures = new List<string>();
        var stop = DateTime.UtcNow.AddSeconds(5);
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            while (DateTime.UtcNow < stop && !app.Process.HasExited)
            {
                try
                {
                    var response = await http.GetAsync("/healthz");
                    if (response.StatusCode == HttpStatusCode.OK)
                        Interlocked.Increment(ref answered);
                    else
                        lock (failures) failures.Add(((int)response.StatusCode).ToString());
                }
                catch (HttpRequestException e)
                {
                    lock (failures) failures.Add(e.Message);
                }
            }
        })));

        Assert.False(app.Process.HasExited, $"the app died under concurrent /healthz (exit {(app.Process.HasExited ? app.Process.ExitCode : 0)})\n{app.Output()}");
        Assert.Empty(failures);
        Assert.True(answered > 32, $"only {answered} health checks answered");
        var after = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("Whisper.net", await after.Content.ReadAsStringAsync());
    }
}
