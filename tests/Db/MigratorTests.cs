using System.Text.RegularExpressions;
using CallReview.Db;
using Dapper;

namespace CallReview.Tests.Db;

public sealed class MigratorTests
{
    [Fact]
    public async Task Migrate_OnEmptyDatabase_AppliesAllAndRecordsThem()
    {
        using var db = new TempSqlite();
        var migrator = new Migrator(db.Connections);

        var applied = await migrator.MigrateAsync();

        Assert.Equal(Migrator.Load(DatabaseProvider.Sqlite).Count, applied.Count);
        Assert.Equal(applied.Count, await migrator.CurrentVersionAsync());
        await using var connection = await db.Connections.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM UserAccount"));
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Migrate_Twice_AppliesNothingTheSecondTime()
    {
        using var db = new TempSqlite();
        var migrator = new Migrator(db.Connections);
        await migrator.MigrateAsync();

        var second = await migrator.MigrateAsync();

        Assert.Empty(second);
        await using var connection = await db.Connections.OpenAsync();
        Assert.Equal(migrator.LatestKnownVersion, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM SchemaMigration"));
    }

    [Fact]
    public async Task Migrate_WhenDatabaseIsAheadOfCode_Refuses()
    {
        using var db = new TempSqlite();
        var migrator = new Migrator(db.Connections);
        await migrator.MigrateAsync();
        await using (var connection = await db.Connections.OpenAsync())
            await connection.ExecuteAsync("INSERT INTO SchemaMigration (Version, Name, AppliedAt) VALUES (9999, 'from_the_future', '2030-01-01T00:00:00.0000000Z')");

        var ex = await Assert.ThrowsAsync<DatabaseAheadException>(() => migrator.MigrateAsync());
        Assert.Contains("9999", ex.Message);
    }

    [Fact]
    public void BothProviders_HaveTheSameMigrationNumbersAndNames()
    {
        var sqlite = Migrator.Load(DatabaseProvider.Sqlite).Select(m => $"{m.Version}_{m.Name}");
        var sqlServer = Migrator.Load(DatabaseProvider.SqlServer).Select(m => $"{m.Version}_{m.Name}");
        Assert.Equal(sqlite, sqlServer);
    }

    [Fact]
    public void BothProviders_DeclareTheSameTablesAndColumns()
    {
        var sqlite = Schema(DatabaseProvider.Sqlite);
        var sqlServer = Schema(DatabaseProvider.SqlServer);
        Assert.Equal(sqlite.Keys.Order(), sqlServer.Keys.Order());
        foreach (var table in sqlite.Keys)
            Assert.True(sqlite[table].SetEquals(sqlServer[table]),
                $"{table}: sqlite [{string.Join(", ", sqlite[table].Order())}] vs sqlserver [{string.Join(", ", sqlServer[table].Order())}]");
    }

    [Fact]
    public void SqlScripts_AreUtf8WithoutByteOrderMarkAndUnixLineEnds()
    {
        var root = Path.Combine(RepoRoot.Path, "db", "migrations");
        foreach (var file in Directory.EnumerateFiles(root, "*.sql", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.False(bytes.Length >= 2 && (bytes[0] == 0xFF || bytes[0] == 0xFE || bytes[0] == 0xEF), $"{file} has a byte order mark");
            Assert.DoesNotContain((byte)'\r', bytes);
            Assert.Matches(@"^\d{4}_[a-z0-9_]+\.sql$", Path.GetFileName(file));
        }
    }

    /// <summary>Table → column names, read from the CREATE TABLE and ALTER TABLE … ADD statements of every migration.</summary>
    private static Dictionary<string, HashSet<string>> Schema(DatabaseProvider provider)
    {
        var tables = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var migration in Migrator.Load(provider))
        {
            var sql = Regex.Replace(migration.Sql, "--[^\n]*", "");
            foreach (Match create in Regex.Matches(sql, @"CREATE\s+(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\((.*?)\n\)", RegexOptions.Singleline | RegexOptions.IgnoreCase))
            {
                var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in create.Groups[2].Value.Split('\n'))
                {
                    var name = Regex.Match(line.Trim(), @"^(\w+)\s+\w").Groups[1].Value;
                    if (name.Length > 0 && !Regex.IsMatch(name, "^(PRIMARY|CONSTRAINT|UNIQUE|FOREIGN|CHECK|INDEX)$", RegexOptions.IgnoreCase))
                        columns.Add(name);
                }
                tables[create.Groups[1].Value] = columns;
            }
            foreach (Match alter in Regex.Matches(sql, @"ALTER\s+TABLE\s+(\w+)\s+ADD\s+(?:COLUMN\s+)?(\w+)", RegexOptions.IgnoreCase))
                tables[alter.Groups[1].Value].Add(alter.Groups[2].Value);
        }
        return tables;
    }
}
