using System.Diagnostics;
using Xunit.Abstractions;

namespace CallReview.Tests.Web;

/// <summary>
/// Twenty reviewers' scripts writing annotations on one call for twenty seconds against the app as a real
/// process: every acknowledged annotation is stored, nothing is stored twice, and no request gets a 5xx.
/// </summary>
public sealed class ConcurrentWritersTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("callreview-writers-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task TwentyWritersForTwentySecondsOnOneCall_SentEqualsStored_NoServerErrors()
    {
        await using var app = await AnnotatingApp.StartAsync(_data);
        var acknowledged = new List<int>();
        var failures = new List<string>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            using var client = app.KeyClient();
            while (clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                var (id, response) = await app.AnnotateAsync(client, Interlocked.Increment(ref sent));
                lock (acknowledged)
                {
                    if (id is { } saved)
                        acknowledged.Add(saved);
                    else
                        failures.Add($"{(int)response.StatusCode} {response.Content.ReadAsStringAsync().Result}");
                }
            }
        })));
        var stored = await app.StoredIdsAsync();

        output.WriteLine($"{sent} sent in {clock.Elapsed.TotalSeconds:F1} s by 20 writers, {acknowledged.Count} acknowledged, {stored.Count} stored, {sent / clock.Elapsed.TotalSeconds:F0}/s");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(5)));
        Assert.Equal(sent, acknowledged.Count);
        Assert.Equal(acknowledged.Count, acknowledged.Distinct().Count());
        Assert.Equal(acknowledged.ToHashSet(), stored);
    }
}
