using CallReview.Db;
using Dapper;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CallReview.Tests.Db;

public sealed class MigratorTests
{
    [DatabaseTheory, DatabaseData]
    public async Task Migrate_OnEmptyDatabase_AppliesAllAndRecordsThem(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var migrator = new Migrator(db.Connections);

        var applied = await migrator.MigrateAsync();

        Assert.Equal(Migrator.Load(provider).Count, applied.Count);
        Assert.Equal(applied.Count, await migrator.CurrentVersionAsync());
        await using var connection = await db.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM UserAccount"));
        if (provider == DatabaseProvider.Sqlite)
            Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
    }

    [DatabaseTheory, DatabaseData]
    public async Task Migrate_Twice_AppliesNothingTheSecondTime(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var migrator = new Migrator(db.Connections);
        await migrator.MigrateAsync();

        var second = await migrator.MigrateAsync();

        Assert.Empty(second);
        await using var connection = await db.OpenAsync();
        Assert.Equal(migrator.LatestKnownVersion, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM SchemaMigration"));
    }

    [DatabaseTheory, DatabaseData]
    public async Task Migrate_WhenDatabaseIsAheadOfCode_Refuses(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var migrator = new Migrator(db.Connections);
        await migrator.MigrateAsync();
        await using (var connection = await db.OpenAsync())
            await connection.ExecuteAsync("INSERT INTO SchemaMigration (Version, Name, AppliedAt) VALUES (9999, 'from_the_future', @at)", new { at = DateTimeOffset.UtcNow });

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

    /// <summary>Tables only SQLite has, each with the reason SQL Server needs none. Any other difference fails the parity test.</summary>
    private static readonly Dictionary<string, string> SqliteOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SegmentFts"] = "FTS5 index of Segment.Text; SQL Server searches Segment.Text itself (SqlDialect.TextSearch)",
    };

    /// <summary>
    /// Parity of the providers' migrations, read from what they really do: the tables and columns a migrated database
    /// has (its own catalogue: SQLite's virtual tables count, the FTS5 index's shadow tables do not) against those the
    /// SQL Server migrations declare, parsed by ScriptDom. On SQLite that proves the SQLite migrations match SQL
    /// Server's; on a real SQL Server, that its migrations apply and give what they declare.
    /// </summary>
    [DatabaseTheory, DatabaseData]
    public async Task Migrations_Applied_GiveTheTablesAndColumnsTheSqlServerMigrationsDeclare(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await db.MigratedAsync();
        var applied = await AppliedSchemaAsync(db);
        var declared = DeclaredSqlServerSchema();

        if (provider == DatabaseProvider.Sqlite)
        {
            foreach (var table in SqliteOnly.Keys)
                Assert.True(applied.Remove(table), $"{table} is listed as SQLite-only but SQLite has no such table");
        }
        Assert.Equal(declared.Keys.Order(StringComparer.OrdinalIgnoreCase), applied.Keys.Order(StringComparer.OrdinalIgnoreCase));
        foreach (var (table, columns) in declared)
            Assert.True(columns.SetEquals(applied[table]),
                $"{table}: SQL Server migrations declare [{string.Join(", ", columns.Order())}], {provider} has [{string.Join(", ", applied[table].Order())}]");
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

    /// <summary>Table → columns of a migrated database, read from its catalogue (the migrations' journal left out).</summary>
    private static async Task<Dictionary<string, HashSet<string>>> AppliedSchemaAsync(TestDatabase db)
    {
        await using var connection = await db.OpenAsync();
        var rows = db.Provider == DatabaseProvider.Sqlite
            ? await connection.QueryAsync<(string Table, string Column)>(
                """
                SELECT t.name, c.name FROM pragma_table_list t JOIN pragma_table_xinfo(t.name) c
                WHERE t.schema = 'main' AND t.type IN ('table', 'virtual') AND t.name NOT LIKE 'sqlite%' AND t.name <> 'SchemaMigration'
                """)
            : await connection.QueryAsync<(string Table, string Column)>(
                "SELECT t.name, c.name FROM sys.tables t JOIN sys.columns c ON c.object_id = t.object_id WHERE t.name <> 'SchemaMigration'");
        return rows.GroupBy(r => r.Table, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Column).ToHashSet(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Table → columns the SQL Server migrations leave, in order: CREATE/DROP TABLE, ALTER TABLE … ADD/DROP COLUMN.</summary>
    private static Dictionary<string, HashSet<string>> DeclaredSqlServerSchema()
    {
        var schema = new DeclaredTables();
        foreach (var migration in Migrator.Load(DatabaseProvider.SqlServer))
            SqlServerSyntax.Parse(migration.Sql).Accept(schema);
        return schema.Tables;
    }

    private sealed class DeclaredTables : TSqlFragmentVisitor
    {
        public Dictionary<string, HashSet<string>> Tables { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override void Visit(CreateTableStatement node) =>
            Tables[node.SchemaObjectName.BaseIdentifier.Value] =
                node.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);

        public override void Visit(AlterTableAddTableElementStatement node) =>
            Tables[node.SchemaObjectName.BaseIdentifier.Value].UnionWith(node.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value));

        public override void Visit(AlterTableDropTableElementStatement node) =>
            Tables[node.SchemaObjectName.BaseIdentifier.Value].ExceptWith(node.AlterTableDropTableElements
                .Where(e => e.TableElementType == TableElementType.Column).Select(e => e.Name.Value));

        public override void Visit(DropTableStatement node)
        {
            foreach (var table in node.Objects)
                Tables.Remove(table.BaseIdentifier.Value);
        }
    }
}
