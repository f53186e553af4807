using System.Text.RegularExpressions;

namespace CallReview.Db;

/// <summary>
/// The most characters each text column holds, read from the SQL Server migrations' <c>NVARCHAR(n)</c>
/// declarations (SQLite's TEXT has no limit, SQL Server's columns do). The one place field limits are
/// declared: inputs are checked against it, so a form and the schema cannot disagree.
/// </summary>
public static partial class ColumnLimits
{
    private static readonly Lazy<IReadOnlyDictionary<string, int>> Limits = new(Read);

    /// <summary>The limit of <paramref name="table"/>.<paramref name="column"/>; throws when no migration declares it.</summary>
    public static int MaxLength(string table, string column) =>
        Limits.Value.TryGetValue($"{table}.{column}", out var length) ? length
            : throw new ArgumentException($"The SQL Server migrations declare no NVARCHAR(n) column {table}.{column}.");

    /// <summary>Text the app makes itself (a default title from a call's title) cut to fit its column, marked with an ellipsis.</summary>
    public static string Fit(string text, string table, string column)
    {
        var max = MaxLength(table, column);
        return text.Length <= max ? text : text[..(max - 1)].TrimEnd() + "…";
    }

    [GeneratedRegex(@"CREATE\s+TABLE\s+(\w+)\s*\((.*?)\n\)", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"^\s*(\w+)\s+NVARCHAR\s*\(\s*(\d+)\s*\)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex Column();

    [GeneratedRegex(@"ALTER\s+TABLE\s+(\w+)\s+(?:ALTER\s+COLUMN|ADD)\s+(\w+)\s+NVARCHAR\s*\(\s*(\d+)\s*\)", RegexOptions.IgnoreCase)]
    private static partial Regex AlterColumn();

    private static Dictionary<string, int> Read()
    {
        var limits = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var migration in Migrator.Load(DatabaseProvider.SqlServer))
        {
            var sql = Regex.Replace(migration.Sql, "--[^\n]*", "");
            foreach (Match table in CreateTable().Matches(sql))
            {
                foreach (Match column in Column().Matches(table.Groups[2].Value))
                    limits[$"{table.Groups[1].Value}.{column.Groups[1].Value}"] = int.Parse(column.Groups[2].Value);
            }
            foreach (Match alter in AlterColumn().Matches(sql))
                limits[$"{alter.Groups[1].Value}.{alter.Groups[2].Value}"] = int.Parse(alter.Groups[3].Value);
        }
        return limits;
    }
}
