using CallReview.Db;

namespace CallReview.Tests.Db;

/// <summary>A real SQLite file in a temporary folder, deleted afterwards; what the app sends is checked as T-SQL too.</summary>
public sealed class TempSqlite : IDisposable
{
    public TempSqlite()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("callreview-db-").FullName;
        Connections = new SqlServerCheckedConnections(DatabaseOptions.Sqlite(Directory));
    }

    public string Directory { get; }
    public IDbConnectionFactory Connections { get; }

    public async Task<IDbConnectionFactory> MigratedAsync()
    {
        await new Migrator(Connections).MigrateAsync();
        return Connections;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
