using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace CallReview.Tests.Web;

/// <summary>
/// The app as a real process when things go wrong underneath it: killed with SIGKILL in the middle of a burst of
/// writes, its data folder full or read-only. Acknowledged work survives, and the answer says what is wrong.
/// The disk tests mount a small tmpfs as the data folder, which needs root (the project's test machine is).
/// </summary>
public sealed class DataFolderFaultTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("callreview-fault-").FullName;
    private bool _mounted;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_mounted)
            Run("umount", "-l", _data);
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task KillDashNineDuringAnnotationBurst_EveryAcknowledgedAnnotationIsThereAfterRestart()
    {
        await using var app = await AnnotatingApp.StartAsync(_data);
        var acknowledged = new ConcurrentBag<int>();
        var serverErrors = new ConcurrentBag<int>();
        var sent = 0;
        var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var client = app.KeyClient();
            while (true)
            {
                try
                {
                    var (id, response) = await app.AnnotateAsync(client, Interlocked.Increment(ref sent));
                    if (id is { } saved)
                        acknowledged.Add(saved);
                    else if ((int)response.StatusCode >= 500)
                        serverErrors.Add((int)response.StatusCode);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return; // the process is gone
                }
            }
        })).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (acknowledged.Count < 150 && DateTime.UtcNow < deadline)
            await Task.Delay(10);

        app.Stop(); // SIGKILL: no shutdown, no flush
        await Task.WhenAll(writers);
        var acknowledgedBeforeKill = acknowledged.ToHashSet();
        await app.ServeAsync();
        var stored = await app.StoredIdsAsync();

        output.WriteLine($"{sent} sent, {acknowledgedBeforeKill.Count} acknowledged before the kill, {stored.Count} stored after restart");
        Assert.True(acknowledgedBeforeKill.Count >= 150, $"only {acknowledgedBeforeKill.Count} acknowledged");
        Assert.Empty(serverErrors);
        Assert.Empty(acknowledgedBeforeKill.Except(stored));
        Assert.Equal("ok", await app.IntegrityCheckAsync());
    }

    [Fact]
    public async Task FullDataFolder_RefusesWithAClearMessage_AndKeepsWhatWasSaved()
    {
        if (!MountSmallDisk())
            return;
        await using var app = await AnnotatingApp.StartAsync(_data);
        using var client = app.KeyClient();
        var saved = new List<int>();
        for (var i = 0; i < 5; i++)
            saved.Add((await app.AnnotateAsync(client, i)).Id ?? throw new InvalidOperationException("not saved on an empty disk"));

        var filler = Path.Combine(_data, "filler");
        FillDisk(filler);
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 5000 && refused is null; i++)
        {
            var (id, response) = await app.AnnotateAsync(client, 100 + i);
            if (id is { } more)
                saved.Add(more);
            else
                refused = response;
        }

        Assert.NotNull(refused);
        var problem = await refused.Content.ReadAsStringAsync();
        output.WriteLine($"{saved.Count} saved, then {(int)refused.StatusCode}: {problem}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("The data folder is full, so nothing was saved", problem);

        File.Delete(filler);
        saved.Add((await app.AnnotateAsync(client, 9999)).Id ?? throw new InvalidOperationException("not saved after space was freed"));
        Assert.Subset(await app.StoredIdsAsync(), saved.ToHashSet());
        Assert.Equal("ok", await app.IntegrityCheckAsync());
    }

    [Fact]
    public async Task ReadOnlyDataFolder_RefusesWritesWithAClearMessage_AndWorksAgainWhenWritable()
    {
        if (!MountSmallDisk())
            return;
        await using var app = await AnnotatingApp.StartAsync(_data);
        using var client = app.KeyClient();
        Assert.NotNull((await app.AnnotateAsync(client, 1)).Id);
        var saved = await app.StoredIdsAsync();
        app.Stop();

        Run("mount", "-o", "remount,ro", _data);
        await app.ServeAsync();
        var (id, refused) = await app.AnnotateAsync(client, 2);
        var problem = await refused.Content.ReadAsStringAsync();
        output.WriteLine($"{(int)refused.StatusCode}: {problem}");
        Assert.Null(id);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("so nothing was saved", problem);
        app.Stop();

        Run("mount", "-o", "remount,rw", _data);
        await app.ServeAsync();
        Assert.NotNull((await app.AnnotateAsync(client, 3)).Id);
        Assert.Subset(await app.StoredIdsAsync(), saved);
        Assert.Equal("ok", await app.IntegrityCheckAsync());
    }

    /// <summary>A 24 MB tmpfs as the data folder; false (and the test does nothing) where mounting is not allowed.</summary>
    private bool MountSmallDisk()
    {
        _mounted = Run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", _data) == 0;
        if (!_mounted)
            output.WriteLine("not run: mounting a tmpfs needs root");
        return _mounted;
    }

    private static void FillDisk(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        foreach (var size in new[] { 1 << 20, 4096, 1 })
        {
            var chunk = new byte[size];
            try
            {
                while (true)
                    file.Write(chunk);
            }
            catch (IOException) { }
        }
    }

    private static int Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
