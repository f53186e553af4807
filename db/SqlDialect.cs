using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace CallReview.Db;

/// <summary>
/// The only place that knows SQLite's SQL from SQL Server's. Repositories share their SQL otherwise
/// and ask the dialect for the few fragments that differ.
/// </summary>
public sealed partial class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(DatabaseProvider.Sqlite, marked: false);
    public static readonly SqlDialect SqlServer = new(DatabaseProvider.SqlServer, marked: false);

    /// <summary>
    /// Runs on SQLite, and marks every fragment it renders so <see cref="AsSqlServer"/> can turn the whole
    /// statement into the one SQL Server would receive. The tests use it to parse, as T-SQL, every statement
    /// the app sends while they run on SQLite. The marks are SQL comments around the SQLite fragment, so the
    /// statement runs on SQLite unchanged and its parameters stay visible to Dapper.
    /// </summary>
    public static readonly SqlDialect SqliteMarkedForSqlServer = new(DatabaseProvider.Sqlite, marked: true);

    private readonly bool _marked;

    private SqlDialect(DatabaseProvider provider, bool marked) => (Provider, _marked) = (provider, marked);

    /// <summary>The engine statements run on.</summary>
    public DatabaseProvider Provider { get; }

    public static SqlDialect For(DatabaseProvider provider) =>
        provider == DatabaseProvider.SqlServer ? SqlServer : Sqlite;

    /// <summary>Page clause placed after ORDER BY; parameters @Offset and @Limit.</summary>
    public string Page => Pick(
        sqlServer: "OFFSET @Offset ROWS FETCH NEXT @Limit ROWS ONLY",
        sqlite: "LIMIT @Limit OFFSET @Offset");

    /// <summary>An INSERT that returns the new identity value as a single row. SQL Server refuses OUTPUT without INTO on a
    /// table with triggers (error 334; Call, Annotation and UserAccount keep versions by trigger), and SCOPE_IDENTITY is
    /// this statement's identity, not a trigger's.</summary>
    public string InsertReturningId(string table, string columns, string values) => Pick(
        sqlServer: $"INSERT INTO {table} ({columns}) VALUES ({values}); SELECT CAST(SCOPE_IDENTITY() AS INT) AS Id",
        sqlite: $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING Id");

    /// <summary>
    /// Insert a row or update it when the key already exists. Parameters are named like the columns. With
    /// <paramref name="add"/> an existing row's values are increased by the parameters instead of replaced (a count kept by deltas).
    /// </summary>
    public string Upsert(string table, IReadOnlyList<string> keyColumns, IReadOnlyList<string> valueColumns, bool add = false)
    {
        var all = keyColumns.Concat(valueColumns).ToList();
        var columns = string.Join(", ", all);
        var values = string.Join(", ", all.Select(c => "@" + c));
        var on = string.Join(" AND ", keyColumns.Select(c => $"t.{c} = s.{c}"));
        var source = string.Join(", ", all.Select(c => $"@{c} AS {c}"));
        var update = valueColumns.Count == 0 ? "" :
            " WHEN MATCHED THEN UPDATE SET " + string.Join(", ", valueColumns.Select(c => add ? $"t.{c} = t.{c} + s.{c}" : $"t.{c} = s.{c}"));
        var conflict = valueColumns.Count == 0 ? "DO NOTHING" :
            "DO UPDATE SET " + string.Join(", ", valueColumns.Select(c => add ? $"{c} = {c} + excluded.{c}" : $"{c} = excluded.{c}"));
        return Pick(
            sqlServer: $"MERGE {table} WITH (HOLDLOCK) AS t USING (SELECT {source}) AS s ON {on}{update}" +
                       $" WHEN NOT MATCHED THEN INSERT ({columns}) VALUES ({string.Join(", ", all.Select(c => "s." + c))});",
            sqlite: $"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT ({string.Join(", ", keyColumns)}) {conflict}");
    }

    /// <summary>
    /// A column the condition it is in should not look up by index: SQLite's planner uses no index for an expression (unary
    /// plus), so a list read a page at a time in an index's order walks that index and stops after the page, instead of
    /// collecting every matching row through other indexes and sorting them all. SQL Server costs its plans itself.
    /// </summary>
    public string NotIndexed(string column) => Pick(sqlServer: column, sqlite: "+" + column);

    /// <summary>
    /// Case-insensitive "contains" on a text column; the parameter holds the raw term. No LIKE: what the user
    /// typed is never a pattern, so <c>%</c>, <c>_</c> and <c>[</c> match themselves on both engines.
    /// </summary>
    public string Contains(string column, string parameter) => Pick(
        sqlServer: $"CHARINDEX(LOWER({parameter}), LOWER({column})) > 0",
        sqlite: $"instr(lower({column}), lower({parameter})) > 0");

    /// <summary>
    /// Equality of a text column and a parameter letter for letter, as SQLite compares by default: SQL Server's default
    /// collation is case-insensitive, so "VIP-Brenda" would match "vip-brenda" there.
    /// </summary>
    public string ExactlyEquals(string column, string parameter) => Pick(
        sqlServer: $"{column} COLLATE Latin1_General_100_BIN2 = {parameter}",
        sqlite: $"{column} = {parameter}");

    /// <summary>
    /// Transcript search on Segment (alias <paramref name="alias"/>), the same on both engines: every word of
    /// the query starts a word of the segment, case-insensitively, in any order. SQLite asks its FTS5 index
    /// SegmentFts with prefix terms; SQL Server (whose full-text search is an optional install) checks each
    /// word with LIKE after a non-alphanumeric character. The parameter's value must come from
    /// <see cref="TextSearchTerm"/>. Left different: FTS5 also ignores accents, SQL Server's default collation does not.
    /// </summary>
    public string TextSearch(string alias, string parameter) => Pick(
        sqlServer: $"NOT EXISTS (SELECT 1 FROM STRING_SPLIT({parameter}, ' ') w WHERE (N' ' + {alias}.Text) NOT LIKE N'%[^0-9A-Za-z]' + w.value + N'%')",
        sqlite: $"{alias}.Id IN (SELECT rowid FROM SegmentFts WHERE SegmentFts MATCH {parameter})");

    /// <summary>
    /// What the user typed, as the dialect's search term: for FTS5 every word becomes a quoted prefix term
    /// (so punctuation cannot break the query syntax); for SQL Server the words separated by spaces. Only
    /// letters, digits, apostrophes and hyphens are kept, so neither FTS5 syntax nor LIKE wildcards get through.
    /// Null when nothing searchable is left.
    /// </summary>
    public string? TextSearchTerm(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(c => char.IsLetterOrDigit(c) || c == '\'' || c == '-').ToArray()))
            .Where(w => w.Length > 0).ToList();
        if (words.Count == 0)
            return null;
        // A value, not SQL: the marked dialect runs on SQLite, so it takes SQLite's.
        return Provider == DatabaseProvider.SqlServer
            ? string.Join(' ', words)
            : string.Join(' ', words.Select(w => "\"" + w + "\"*"));
    }

    /// <summary>
    /// For an erasure, which must leave no deleted words readable in the database's files. SQLite: deleted rows stay in
    /// freed pages unless secure delete zeroes them (on for the erasing connection only, as it slows every delete);
    /// FTS5 keeps deleted terms in its index segments until they are merged; the write-ahead log keeps old pages until
    /// it is checkpointed. SQL Server has nothing to switch or merge here; it checkpoints.
    /// </summary>
    public string SecureDelete(bool on) => Pick(sqlServer: "SELECT 0", sqlite: on ? "PRAGMA secure_delete = ON" : "PRAGMA secure_delete = OFF");

    /// <inheritdoc cref="SecureDelete"/>
    public string MergeTextIndex => Pick(sqlServer: "SELECT 0", sqlite: "INSERT INTO SegmentFts (SegmentFts) VALUES ('optimize')");

    /// <inheritdoc cref="SecureDelete"/>
    public string Checkpoint => Pick(sqlServer: "CHECKPOINT", sqlite: "PRAGMA wal_checkpoint(TRUNCATE)");

    /// <summary>The migrations' journal table, created when missing.</summary>
    public string CreateMigrationJournal => Pick(
        sqlServer: "IF OBJECT_ID(N'SchemaMigration', N'U') IS NULL CREATE TABLE SchemaMigration (Version INT NOT NULL PRIMARY KEY, Name NVARCHAR(200) NOT NULL, AppliedAt DATETIMEOFFSET NOT NULL)",
        sqlite: "CREATE TABLE IF NOT EXISTS SchemaMigration (Version INTEGER NOT NULL PRIMARY KEY, Name TEXT NOT NULL, AppliedAt TEXT NOT NULL)");

    private static readonly ConcurrentDictionary<(string SqlServer, string Sqlite), int> MarkIds = new();
    private static readonly ConcurrentDictionary<int, string> MarkedSqlServer = new();

    private string Pick(string sqlServer, string sqlite)
    {
        if (!_marked)
            return Provider == DatabaseProvider.SqlServer ? sqlServer : sqlite;
        var id = MarkIds.GetOrAdd((sqlServer, sqlite), pair =>
        {
            var next = MarkIds.Count + 1;
            while (!MarkedSqlServer.TryAdd(next, pair.SqlServer))
                next++;
            return next;
        });
        return $"/*sqlserver:{id}*/{sqlite}/*end:{id}*/";
    }

    [GeneratedRegex(@"/\*sqlserver:(\d+)\*/.*?/\*end:\1\*/", RegexOptions.Singleline)]
    private static partial Regex Mark();

    /// <summary>A statement rendered by <see cref="SqliteMarkedForSqlServer"/>, as SQL Server would receive it.</summary>
    public static string AsSqlServer(string markedStatement)
    {
        var text = markedStatement;
        while (Mark().IsMatch(text))
            text = Mark().Replace(text, m => MarkedSqlServer[int.Parse(m.Groups[1].Value)]);
        return text;
    }
}
