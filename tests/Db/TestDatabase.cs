using System.Data.Common;
using CallReview.Db;
using DotNet.Testcontainers.Builders;
using Microsoft.Data.SqlClient;
using Testcontainers.MsSql;

namespace CallReview.Tests.Db;

/// <summary>
/// An empty database of its own for a test or a fixture, on either engine. SQLite: a file in a temporary folder,
/// reached through <see cref="SqlServerCheckedConnections"/> so every statement is also parsed as SQL Server's.
/// SQL Server: a new database (dropped afterwards) on the server named by the <c>CALLREVIEW_TEST_SQLSERVER</c>
/// connection string, or else on one SQL Server 2022 container that Testcontainers starts once per test run.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>A connection string to an existing SQL Server whose login may create and drop databases.</summary>
    public const string ServerVariable = "CALLREVIEW_TEST_SQLSERVER";

    /// <summary>The image docker-compose runs.</summary>
    private const string Image = "mcr.microsoft.com/mssql/server:2022-latest";

    private static readonly Lazy<string?> SqlServerUnavailable = new(() =>
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ServerVariable)))
            return null;
        try
        {
            // Build only checks that a Docker engine answers; nothing starts until the first SQL Server test.
            _ = new MsSqlBuilder(Image).Build();
            return null;
        }
        catch (DockerUnavailableException e)
        {
            return $"SQL Server: Testcontainers finds no Docker engine ({e.Message.Split('\n')[0].Trim()}) and {ServerVariable} is not set.";
        }
    });

    private static readonly Lazy<Task<string>> Server = new(StartServerAsync);

    /// <summary>Why <paramref name="provider"/> cannot be tested here, or null when it can.</summary>
    public static string? Unavailable(DatabaseProvider provider) =>
        provider == DatabaseProvider.SqlServer ? SqlServerUnavailable.Value : null;

    private readonly string? _directory;
    private readonly string? _sqlServerDatabase;

    private TestDatabase(DatabaseOptions options, string? directory, string? sqlServerDatabase)
    {
        Options = options;
        (_directory, _sqlServerDatabase) = (directory, sqlServerDatabase);
        Connections = NewConnections();
    }

    public DatabaseOptions Options { get; }
    public DatabaseProvider Provider => Options.Provider;
    public IDbConnectionFactory Connections { get; }

    /// <summary>An empty database; for SQLite in <paramref name="sqliteDirectory"/> (an app's data folder) or a folder of its own.</summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, string? sqliteDirectory = null)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var own = sqliteDirectory is null ? Directory.CreateTempSubdirectory("callreview-db-").FullName : null;
            return new TestDatabase(DatabaseOptions.Sqlite(sqliteDirectory ?? own!), own, null);
        }
        var server = new SqlConnectionStringBuilder(await Server.Value);
        var name = $"callreview_test_{Guid.NewGuid():N}";
        await ExecuteOnServerAsync(server, $"CREATE DATABASE [{name}]");
        var database = new SqlConnectionStringBuilder(server.ConnectionString) { InitialCatalog = name };
        return new TestDatabase(new DatabaseOptions(DatabaseProvider.SqlServer, database.ConnectionString), null, name);
    }

    /// <summary>Connections of their own to this database, as another process would open them.</summary>
    public IDbConnectionFactory NewConnections() =>
        Provider == DatabaseProvider.Sqlite ? new SqlServerCheckedConnections(Options) : new DbConnectionFactory(Options);

    public async Task<IDbConnectionFactory> MigratedAsync()
    {
        await new Migrator(Connections).MigrateAsync();
        return Connections;
    }

    public Task<DbConnection> OpenAsync() => Connections.OpenAsync();

    public async ValueTask DisposeAsync()
    {
        (Connections as IDisposable)?.Dispose();
        if (_sqlServerDatabase is not null)
        {
            SqlConnection.ClearAllPools();
            await ExecuteOnServerAsync(new SqlConnectionStringBuilder(await Server.Value),
                $"ALTER DATABASE [{_sqlServerDatabase}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_sqlServerDatabase}]");
        }
        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task<string> StartServerAsync()
    {
        if (Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } configured)
            return configured;
        var container = new MsSqlBuilder(Image).Build();
        await container.StartAsync();
        // Testcontainers' reaper removes the container if the run is killed; a finished run removes it itself.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return container.GetConnectionString();
    }

    private static async Task ExecuteOnServerAsync(SqlConnectionStringBuilder server, string sql)
    {
        await using var connection = new SqlConnection(new SqlConnectionStringBuilder(server.ConnectionString) { InitialCatalog = "master" }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
