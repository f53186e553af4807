namespace CallReview.Db;

/// <summary>
/// The only place that knows SQLite's SQL from SQL Server's. Repositories share their SQL otherwise
/// and ask the dialect for the few fragments that differ.
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(DatabaseProvider.Sqlite);
    public static readonly SqlDialect SqlServer = new(DatabaseProvider.SqlServer);

    private SqlDialect(DatabaseProvider provider) => Provider = provider;

    public DatabaseProvider Provider { get; }

    public static SqlDialect For(DatabaseProvider provider) =>
        provider == DatabaseProvider.SqlServer ? SqlServer : Sqlite;

    /// <summary>Page clause placed after ORDER BY; parameters @Offset and @Limit.</summary>
    public string Page => Provider == DatabaseProvider.SqlServer
        ? "OFFSET @Offset ROWS FETCH NEXT @Limit ROWS ONLY"
        : "LIMIT @Limit OFFSET @Offset";

    /// <summary>An INSERT that returns the new identity value as a single row.</summary>
    public string InsertReturningId(string table, string columns, string values) => Provider == DatabaseProvider.SqlServer
        ? $"INSERT INTO {table} ({columns}) OUTPUT INSERTED.Id VALUES ({values})"
        : $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING Id";

    /// <summary>Insert a row or update it when the key already exists. Parameters are named like the columns.</summary>
    public string Upsert(string table, IReadOnlyList<string> keyColumns, IReadOnlyList<string> valueColumns)
    {
        var all = keyColumns.Concat(valueColumns).ToList();
        var columns = string.Join(", ", all);
        var values = string.Join(", ", all.Select(c => "@" + c));
        if (Provider == DatabaseProvider.SqlServer)
        {
            var on = string.Join(" AND ", keyColumns.Select(c => $"t.{c} = s.{c}"));
            var source = string.Join(", ", all.Select(c => $"@{c} AS {c}"));
            var update = valueColumns.Count == 0 ? "" :
                " WHEN MATCHED THEN UPDATE SET " + string.Join(", ", valueColumns.Select(c => $"t.{c} = s.{c}"));
            return $"MERGE {table} WITH (HOLDLOCK) AS t USING (SELECT {source}) AS s ON {on}{update}" +
                   $" WHEN NOT MATCHED THEN INSERT ({columns}) VALUES ({string.Join(", ", all.Select(c => "s." + c))});";
        }
        var conflict = valueColumns.Count == 0 ? "DO NOTHING" :
            "DO UPDATE SET " + string.Join(", ", valueColumns.Select(c => $"{c} = excluded.{c}"));
        return $"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT ({string.Join(", ", keyColumns)}) {conflict}";
    }

    /// <summary>Case-insensitive "contains" on a text column; the parameter holds the raw term.</summary>
    public string Contains(string column, string parameter) => Provider == DatabaseProvider.SqlServer
        ? $"{column} LIKE '%' + {parameter} + '%'"
        : $"instr(lower({column}), lower({parameter})) > 0";

    /// <summary>
    /// Full-text condition on Segment (alias <paramref name="alias"/>): SQLite asks its FTS5 index SegmentFts,
    /// SQL Server falls back to LIKE. The parameter's value must come from <see cref="TextSearchTerm"/>.
    /// </summary>
    public string TextSearch(string alias, string parameter) => Provider == DatabaseProvider.SqlServer
        ? $"{alias}.Text LIKE '%' + {parameter} + '%'"
        : $"{alias}.Id IN (SELECT rowid FROM SegmentFts WHERE SegmentFts MATCH {parameter})";

    /// <summary>
    /// What the user typed, as the dialect's search term: for FTS5 every word becomes a quoted prefix term
    /// (so punctuation cannot break the query syntax); for LIKE the words as a phrase. Only letters, digits,
    /// apostrophes and hyphens are kept, so neither FTS5 syntax nor LIKE wildcards get through.
    /// Null when nothing searchable is left.
    /// </summary>
    public string? TextSearchTerm(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(c => char.IsLetterOrDigit(c) || c == '\'' || c == '-').ToArray()))
            .Where(w => w.Length > 0).ToList();
        if (words.Count == 0)
            return null;
        return Provider == DatabaseProvider.SqlServer
            ? string.Join(' ', words)
            : string.Join(' ', words.Select(w => "\"" + w + "\"*"));
    }
}
