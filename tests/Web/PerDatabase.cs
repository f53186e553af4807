using System.Collections.Concurrent;
using CallReview.Db;
using CallReview.Tests.Db;

namespace CallReview.Tests.Web;

/// <summary>
/// A test class's app fixture once per database, for <see cref="DatabaseTheoryAttribute"/> tests: the first test
/// on an engine starts the app on a fresh database of that engine and seeds it, the class's other tests share it.
/// </summary>
public sealed class PerDatabase<TApp> : IAsyncLifetime where TApp : CallReviewApp, IAsyncLifetime, new()
{
    private readonly ConcurrentDictionary<DatabaseProvider, Lazy<Task<TApp>>> _apps = new();

    public Task<TApp> For(DatabaseProvider provider) => _apps.GetOrAdd(provider, p => new(() => StartAsync(p))).Value;

    private static async Task<TApp> StartAsync(DatabaseProvider provider)
    {
        var app = new TApp();
        if (provider == DatabaseProvider.SqlServer)
            app.SqlServer = await TestDatabase.CreateAsync(provider);
        await app.InitializeAsync();
        return app;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var started in _apps.Values.Where(a => a.IsValueCreated))
        {
            var app = await started.Value;
            await ((IAsyncLifetime)app).DisposeAsync();
            await ((IAsyncDisposable)app).DisposeAsync();
            if (app.SqlServer is { } database)
                await database.DisposeAsync();
        }
    }
}
