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

public sealed class DbConnectionFactory : IDbConnectionFactory, IDisposable
{
    private readonly string _connectionString;
    private readonly SqliteStatementReuse? _sqlite;

    public DbConnectionFactory(DatabaseOptions options)
    {
        DapperSetup.Register();
        Dialect = SqlDialect.For(options.Provider);
        _connectionString = options.ConnectionString;
        if (Dialect.Provider == DatabaseProvider.Sqlite)
            _sqlite = new SqliteStatementReuse(_connectionString, Configure);
    }

    public SqlDialect Dialect { get; }

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
        cancellationToken.ThrowIfCancellationRequested();
        if (_sqlite is not null)
            return _sqlite.Lease();
        var connection = new SqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Settings every new SQLite connection gets before its first use (they stay with it while it is kept open).</summary>
    private static void Configure(SqliteConnection connection)
    {
        // WAL lets the worker write while pages read; busy_timeout makes writers wait instead of failing.
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";
        pragma.ExecuteNonQuery();
    }

    /// <summary>Closes the SQLite connections kept open for reuse.</summary>
    public void Dispose() => _sqlite?.Dispose();
}
