using CallReview.Db;
using Dapper;

namespace CallReview.Tests.Db;

public sealed class DapperSetupTests
{
    private sealed record Row(Guid G, DateTimeOffset When, TimeSpan Span, DateTimeOffset? Maybe);

    [Fact]
    public async Task GuidDateTimeOffsetTimeSpan_RoundTripOnSqlite()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var connection = await db.Connections.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE Probe (G TEXT, [When] TEXT, Span INTEGER, Maybe TEXT)");
        var written = new Row(Guid.NewGuid(), new DateTimeOffset(2026, 3, 29, 1, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4567),
            TimeSpan.FromMilliseconds(90_061_001).Add(TimeSpan.FromTicks(9)), null);

        await connection.ExecuteAsync("INSERT INTO Probe VALUES (@G, @When, @Span, @Maybe)", written);
        var read = await connection.QuerySingleAsync<Row>("SELECT G, [When], Span, Maybe FROM Probe");

        Assert.Equal(written.G, read.G);
        Assert.Equal(written.When, read.When);
        Assert.Equal(TimeSpan.Zero, read.When.Offset);
        Assert.Equal(written.Span, read.Span);
        Assert.Null(read.Maybe);
        Assert.Equal("2026-03-28T23:30:15.1234567Z", await connection.ExecuteScalarAsync<string>("SELECT [When] FROM Probe"));
        Assert.Equal(written.G, await connection.ExecuteScalarAsync<Guid>("SELECT G FROM Probe WHERE G = @G", new { written.G }));
    }

    [Fact]
    public async Task StoredTimes_SortAsTextInTimeOrderAcrossOffsets()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var connection = await db.Connections.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE Probe (N INTEGER, [When] TEXT)");
        var base0 = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        await connection.ExecuteAsync("INSERT INTO Probe VALUES (@N, @When)", new[]
        {
            new { N = 2, When = base0.ToOffset(TimeSpan.FromHours(-5)).AddMinutes(1) },
            new { N = 1, When = base0.ToOffset(TimeSpan.FromHours(9)) },
            new { N = 3, When = base0.AddHours(1) },
        });
        var order = await connection.QueryAsync<int>("SELECT N FROM Probe ORDER BY [When]");
        Assert.Equal([1, 2, 3], order);
    }

    [Fact]
    public async Task Upsert_InsertsThenUpdates()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var connection = await db.Connections.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE Setting (Name TEXT PRIMARY KEY, Value TEXT)");
        var sql = db.Connections.Dialect.Upsert("Setting", ["Name"], ["Value"]);
        await connection.ExecuteAsync(sql, new { Name = "a", Value = "1" });
        await connection.ExecuteAsync(sql, new { Name = "a", Value = "2" });
        Assert.Equal("2", await connection.ExecuteScalarAsync<string>("SELECT Value FROM Setting WHERE Name = 'a'"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Setting"));
    }

    [Fact]
    public async Task Upsert_Adding_InsertsThenAddsToTheValues()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var connection = await db.Connections.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE Tally (Name TEXT PRIMARY KEY, N INTEGER NOT NULL, Squares INTEGER NOT NULL)");
        var sql = db.Connections.Dialect.Upsert("Tally", ["Name"], ["N", "Squares"], add: true);
        await connection.ExecuteAsync(sql, new { Name = "a", N = 2, Squares = 4 });
        await connection.ExecuteAsync(sql, new { Name = "a", N = -1, Squares = -3 });
        Assert.Equal((1, 1), await connection.QuerySingleAsync<(int, int)>("SELECT N, Squares FROM Tally WHERE Name = 'a'"));
    }
}
