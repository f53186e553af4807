using CallReview.Db;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CallReview.Tests.Db;

/// <summary>
/// SQL Server proven without a SQL Server: its migrations and the dialect's fragments parsed by ScriptDom. Every
/// other statement the app sends is parsed as it is sent, by <see cref="SqlServerCheckedConnections"/>, which the
/// test app and every test database use (its summary says why that inventory is complete).
/// </summary>
public sealed class SqlServerStatementTests
{
    public static TheoryData<string> SqlServerMigrations() =>
        new(Migrator.Load(DatabaseProvider.SqlServer).Select(m => $"{m.Version:0000}_{m.Name}"));

    [Theory]
    [MemberData(nameof(SqlServerMigrations))]
    public void Migration_IsValidTSql(string migration)
    {
        var script = Migrator.Load(DatabaseProvider.SqlServer).Single(m => $"{m.Version:0000}_{m.Name}" == migration).Sql;
        Assert.Empty(SqlServerSyntax.Errors(script));
    }

    [Fact]
    public void InsertReturningId_IsAnInsertWithoutOutputThenItsScopeIdentity()
    {
        // OUTPUT without INTO fails on a table with triggers (SQL Server error 334), and Call, Annotation and UserAccount have them.
        var tree = SqlServerSyntax.Parse(SqlDialect.SqlServer.InsertReturningId("Call", "Title, TeamId", "@Title, @TeamId"));
        var insert = Assert.Single(SqlServerSyntax.All<InsertStatement>(tree));
        Assert.Null(insert.InsertSpecification.OutputClause);
        var identity = Assert.Single(SqlServerSyntax.All<FunctionCall>(tree));
        Assert.Equal("SCOPE_IDENTITY", identity.FunctionName.Value, ignoreCase: true);
    }

    [Fact]
    public void Page_IsAnOffsetFetchClause()
    {
        var tree = SqlServerSyntax.Parse($"SELECT Id FROM Call ORDER BY Id {SqlDialect.SqlServer.Page}");
        var query = Assert.Single(SqlServerSyntax.All<QuerySpecification>(tree));
        Assert.Equal("@Offset", Assert.IsType<VariableReference>(query.OffsetClause.OffsetExpression).Name);
        Assert.Equal("@Limit", Assert.IsType<VariableReference>(query.OffsetClause.FetchExpression).Name);
    }

    [Fact]
    public void Upsert_IsOneMergeUnderHoldLockWithUpdateAndInsert()
    {
        var tree = SqlServerSyntax.Parse(SqlDialect.SqlServer.Upsert("ReviewAcknowledgement", ["CallId", "UserId"], ["AcknowledgedAt"]));
        var merge = Assert.Single(SqlServerSyntax.All<MergeStatement>(tree));
        var target = Assert.IsType<NamedTableReference>(merge.MergeSpecification.Target);
        Assert.Contains(target.TableHints, h => h.HintKind == TableHintKind.HoldLock);
        // Matched on exactly the key columns (target = source), updating the value columns, inserting all of them.
        var on = SqlServerSyntax.All<BooleanComparisonExpression>(merge.MergeSpecification.SearchCondition);
        Assert.All(on, c => Assert.Equal(BooleanComparisonType.Equals, c.ComparisonType));
        Assert.Equal(["t.CallId=s.CallId", "t.UserId=s.UserId"], on.Select(c => $"{Column(c.FirstExpression)}={Column(c.SecondExpression)}").Order());
        Assert.Equal(2, merge.MergeSpecification.ActionClauses.Count);
        var update = Assert.IsType<UpdateMergeAction>(Assert.Single(merge.MergeSpecification.ActionClauses, a => a.Action is UpdateMergeAction).Action);
        Assert.Equal(["t.AcknowledgedAt"], update.SetClauses.Cast<AssignmentSetClause>().Select(c => Column(c.Column)));
        var insert = Assert.IsType<InsertMergeAction>(Assert.Single(merge.MergeSpecification.ActionClauses, a => a.Action is InsertMergeAction).Action);
        Assert.Equal(["CallId", "UserId", "AcknowledgedAt"], insert.Columns.Select(c => Column(c)));
        // Insert-only upserts have no update branch.
        var insertOnly = Assert.Single(SqlServerSyntax.All<MergeStatement>(SqlServerSyntax.Parse(SqlDialect.SqlServer.Upsert("T", ["K"], []))));
        Assert.IsType<InsertMergeAction>(Assert.Single(insertOnly.MergeSpecification.ActionClauses).Action);
        // Adding upserts add the source's values to the target's.
        var adding = Assert.Single(SqlServerSyntax.All<MergeStatement>(SqlServerSyntax.Parse(SqlDialect.SqlServer.Upsert("T", ["K"], ["N"], add: true))));
        var added = Assert.IsType<UpdateMergeAction>(Assert.Single(adding.MergeSpecification.ActionClauses, a => a.Action is UpdateMergeAction).Action);
        var sum = Assert.IsType<BinaryExpression>(Assert.IsType<AssignmentSetClause>(Assert.Single(added.SetClauses)).NewValue);
        Assert.Equal(BinaryExpressionType.Add, sum.BinaryExpressionType);
        Assert.Equal(["t.N", "s.N"], new[] { Column(sum.FirstExpression), Column(sum.SecondExpression) });
    }

    private static string Column(ScalarExpression expression) =>
        string.Join('.', Assert.IsType<ColumnReferenceExpression>(expression).MultiPartIdentifier.Identifiers.Select(i => i.Value));

    [Fact]
    public void ContainsAndTextSearch_AreValidConditionsWithoutUserPatterns()
    {
        var tree = SqlServerSyntax.Parse(
            $"SELECT s.Id FROM Segment s JOIN Call c ON c.Id = s.CallId WHERE {SqlDialect.SqlServer.Contains("c.Title", "@q")} AND {SqlDialect.SqlServer.TextSearch("s", "@term")}");
        // The user's text is never the pattern of a LIKE: only the search's fixed word-start pattern is.
        var like = Assert.Single(SqlServerSyntax.All<LikePredicate>(tree));
        Assert.True(like.NotDefined);
        Assert.Contains(SqlServerSyntax.All<FunctionCall>(tree), f => f.FunctionName.Value == "CHARINDEX");
    }

    [Fact]
    public void ExactlyEquals_IsABinaryCollationOnSqlServer_AndAPlainEqualityOnSqlite()
    {
        var tree = SqlServerSyntax.Parse($"DELETE FROM CallTag WHERE CallId = @callId AND {SqlDialect.SqlServer.ExactlyEquals("Tag", "@tag")}");
        var tag = Assert.Single(SqlServerSyntax.All<ColumnReferenceExpression>(tree), c => c.MultiPartIdentifier.Identifiers[^1].Value == "Tag");
        Assert.Equal("Latin1_General_100_BIN2", tag.Collation?.Value);
        // SQLite compares text byte for byte already (BINARY): its statement is as it was.
        Assert.Equal("Tag = @tag", SqlDialect.Sqlite.ExactlyEquals("Tag", "@tag"));
    }

    [Fact]
    public void MigrationJournal_IsValidTSql() =>
        Assert.Single(SqlServerSyntax.All<CreateTableStatement>(SqlServerSyntax.Parse(SqlDialect.SqlServer.CreateMigrationJournal)));

    [Fact]
    public void MarkedStatement_RunsOnSqliteAndReadsAsTheSqlServerStatement()
    {
        var marked = SqlDialect.SqliteMarkedForSqlServer;
        var statement = $"{marked.InsertReturningId("Call", "Title", "@Title")}; SELECT Id FROM Call ORDER BY Id {marked.Page}";

        Assert.Equal($"{SqlDialect.SqlServer.InsertReturningId("Call", "Title", "@Title")}; SELECT Id FROM Call ORDER BY Id {SqlDialect.SqlServer.Page}",
            SqlDialect.AsSqlServer(statement));
        Assert.Empty(SqlServerSyntax.Errors(SqlDialect.AsSqlServer(statement)));
        // The same text unresolved is SQLite's, which SQL Server refuses: the check can fail.
        Assert.NotEmpty(SqlServerSyntax.Errors(statement));
    }

    [Theory]
    [InlineData("SELECT Id FROM Call LIMIT 5")]
    [InlineData("INSERT INTO T (K) VALUES (1) ON CONFLICT (K) DO NOTHING")]
    [InlineData("SELECT Title || ' ' || AgentName FROM Call")]
    [InlineData("SELECT Id FROM Call WHERE instr(Title, 'x') > 0")]
    [InlineData("SELECT ifnull(AgentName, '') FROM Call")]
    public void SqliteOnlySql_IsRefused(string sql) => Assert.NotEmpty(SqlServerSyntax.Errors(sql));

    [Fact]
    public async Task StatementsSentByTheApp_AreCheckedAsTheirSqlServerText()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await new Migrator(db.Connections).MigrateAsync();

        Assert.Equal(typeof(Migrator).FullName + ".EnsureJournalAsync",
            SqlServerCheckedConnections.Checked[SqlDialect.SqlServer.CreateMigrationJournal]);
    }

    /// <summary>The inventory is complete only while the app cannot open a connection around the factory.</summary>
    [Fact]
    public void NoCodeOutsideDb_OpensItsOwnConnection()
    {
        var offenders = new[] { "web", "transcription", "samples" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(RepoRoot.Path, folder), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(f), @"new\s+(Sqlite|Sql)Connection\b"))
            .ToList();
        Assert.Empty(offenders);
    }
}
