using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace CallReview.Db;

/// <summary>Opens connections to the configured database and tells which SQL dialect it speaks.</summary>
public interface IDbConnectionFactory
{
    SqlDialect Dialect { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits for this process's turn to write; hold it (dispose it after the commit) around a write transaction.
    /// SQLite lets one writer in at a time and makes the others sleep and retry (busy_timeout); queued here instead,
    /// each starts the moment the one before commits. SQL Server locks what a transaction touches: there it is free.
    /// </summary>
    Task<IDisposable> WriteTurnAsync(CancellationToken cancellationToken = default);
}

public sealed class DbConnectionFactory : IDbConnectionFactory
{
    private readonly string _connectionString;

    public DbConnectionFactory(DatabaseOptions options)
    {
        DapperSetup.Register();
        Dialect = SqlDialect.For(options.Provider);
        _connectionString = options.ConnectionString;
    }

    public SqlDialect Dialect { get; }

    /// <summary>Native SQLite handles already given the pragmas below; an entry goes when its handle is collected.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Configured = new();

    private readonly SemaphoreSlim _writer = new(1, 1);

    public async Task<IDisposable> WriteTurnAsync(CancellationToken cancellationToken = default)
    {
        if (Dialect.Provider == DatabaseProvider.SqlServer)
            return Turn.None;
        await _writer.WaitAsync(cancellationToken);
        return new Turn(_writer);
    }

    private sealed class Turn(SemaphoreSlim? writer) : IDisposable
    {
        public static readonly Turn None = new(null);
        private int _released;

        public void Dispose()
        {
            if (writer is not null && Interlocked.Exchange(ref _released, 1) == 0)
                writer.Release();
        }
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = Dialect.Provider == DatabaseProvider.SqlServer
            ? new SqlConnection(_connectionString)
            : new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Pooled SQLite connections keep their native handle, and these settings stay with it: set them once per
            // handle, not on every open (a page opens several connections).
            if (connection is SqliteConnection sqlite && sqlite.Handle is { } handle && !Configured.TryGetValue(handle, out _))
            {
                // WAL lets the worker write while pages read; busy_timeout makes writers wait instead of failing.
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
                Configured.AddOrUpdate(handle, Configured);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
