using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CallReview.Tests.Db;

/// <summary>
/// Is a script valid for SQL Server 2022? ScriptDom's T-SQL 16 parser checks the syntax; on top, every function
/// called must be a SQL Server built-in, because the parser accepts any name (SQLite's <c>instr</c>,
/// <c>ifnull</c> or <c>julianday</c> parse, and fail only on the server), and no 2025-only <c>||</c>.
/// </summary>
public static class SqlServerSyntax
{
    private static readonly HashSet<string> BuiltIns = new(StringComparer.OrdinalIgnoreCase)
    {
        "ABS", "AVG", "CEILING", "CHARINDEX", "CONCAT", "COUNT", "COUNT_BIG", "DATALENGTH", "DATEADD", "DATEDIFF",
        "FLOOR", "GETUTCDATE", "ISNULL", "LEFT", "LEN", "LOWER", "LTRIM", "MAX", "MIN", "NEWID", "OBJECT_ID", "COL_LENGTH",
        "REPLACE", "RIGHT", "ROUND", "ROW_NUMBER", "RTRIM", "STRING_AGG", "SUBSTRING", "SUM", "SYSUTCDATETIME",
        "SYSDATETIMEOFFSET", "TRIM", "UPPER", "DB_ID", "INDEXPROPERTY", "SCOPE_IDENTITY",
    };

    /// <summary>What SQL Server would refuse in <paramref name="script"/>; empty when it is valid.</summary>
    public static IReadOnlyList<string> Errors(string script)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(script);
        var tree = parser.Parse(reader, out var errors);
        var problems = errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}").ToList();
        if (problems.Count == 0)
        {
            var functions = new FunctionNames();
            tree.Accept(functions);
            problems.AddRange(functions.Names.Where(n => !BuiltIns.Contains(n)).Distinct()
                .Select(n => $"{n}() is not a SQL Server built-in function"));
            // The parser knows SQL Server 2025's || concatenation; 2022, which docker-compose runs, does not.
            if (tree.ScriptTokenStream.Any(t => t.Text == "||"))
                problems.Add("|| concatenation needs SQL Server 2025: use CONCAT or +");
        }
        return problems;
    }

    public static TSqlFragment Parse(string script)
    {
        var errors = Errors(script);
        Assert.True(errors.Count == 0, $"not valid T-SQL: {string.Join("; ", errors)}\n{script}");
        using var reader = new StringReader(script);
        return new TSql160Parser(initialQuotedIdentifiers: true).Parse(reader, out _);
    }

    /// <summary>Every node of type <typeparamref name="T"/> in the tree.</summary>
    public static IReadOnlyList<T> All<T>(TSqlFragment tree) where T : TSqlFragment
    {
        var collector = new Collector<T>();
        tree.Accept(collector);
        return collector.Found;
    }

    private sealed class FunctionNames : TSqlFragmentVisitor
    {
        public List<string> Names { get; } = [];

        public override void Visit(FunctionCall node)
        {
            // Methods on a value (x.value()) and table-valued functions are not built-in scalar calls.
            if (node.CallTarget is null)
                Names.Add(node.FunctionName.Value);
        }
    }

    private sealed class Collector<T> : TSqlFragmentVisitor where T : TSqlFragment
    {
        public List<T> Found { get; } = [];

        public override void Visit(TSqlFragment fragment)
        {
            if (fragment is T match)
                Found.Add(match);
        }
    }
}
