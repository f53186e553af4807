using System.Data.Common;
using CallReview.Db;
using Dapper;

namespace CallReview.Tests.Db;

/// <summary>
/// SQLite connections go back to a pool open and keep their compiled statements (<see cref="DbConnectionFactory"/>):
/// a reused statement must bind each call's own parameters, never carry a transaction or an open reader into the
/// next lease, and a connection given back in the middle of a transaction must not reach the next caller.
/// </summary>
public sealed class SqliteStatementReuseTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("callreview-reuse-").FullName;
    private readonly DbConnectionFactory _connections;

    public SqliteStatementReuseTests()
    {
        _connections = new DbConnectionFactory(DatabaseOptions.Sqlite(_directory));
        using var connection = _connections.OpenAsync().GetAwaiter().GetResult();
        connection.Execute("CREATE TABLE Probe (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL)");
        connection.Execute("INSERT INTO Probe (Id, Name) VALUES (@id, @name)",
            Enumerable.Range(1, 5).Select(i => new { id = i, name = $"probe {i}" }));
    }

    public void Dispose()
    {
        _connections.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private const string ByName = "SELECT Id FROM Probe WHERE Name = @name";

    [Fact]
    public async Task TheSameQueryOnTheSameConnection_IsCompiledOnce_AndBindsEachCallsOwnParameters()
    {
        int compiledBefore;
        await using (var first = await _connections.OpenAsync())
            compiledBefore = SqliteStatementReuse.CompiledOn(first);
        for (var i = 1; i <= 5; i++)
        {
            await using var connection = await _connections.OpenAsync();
            Assert.Equal(i, await connection.QuerySingleAsync<int>(ByName, new { name = $"probe {i}" }));
            Assert.Null(await connection.QuerySingleOrDefaultAsync<int?>(ByName, new { name = "nobody" }));
        }

        // Leased one after another, every lease got the same connection, which compiled the query once.
        await using var last = await _connections.OpenAsync();
        Assert.Equal(compiledBefore + 1, SqliteStatementReuse.CompiledOn(last));
    }

    [Fact]
    public async Task TheSameQueryWhileItsReaderIsStillOpen_RunsOnACommandOfItsOwn()
    {
        await using var connection = await _connections.OpenAsync();
        await using var outer = await connection.ExecuteReaderAsync("SELECT Id FROM Probe WHERE Id >= @from ORDER BY Id", new { from = 2 });
        Assert.True(await outer.ReadAsync());
        Assert.Equal(2L, outer.GetInt64(0));

        var inner = (await connection.QueryAsync<int>("SELECT Id FROM Probe WHERE Id >= @from ORDER BY Id", new { from = 4 })).ToList();

        Assert.Equal([4, 5], inner);
        var rest = new List<long>();
        while (await outer.ReadAsync())
            rest.Add(outer.GetInt64(0));
        Assert.Equal([3L, 4L, 5L], rest);
    }

    [Fact]
    public async Task AnIdleConnectionHoldsNoReadSnapshot_SoItSeesAnotherWriter_AndTheLogCanBeCheckpointed()
    {
        const string FirstName = "SELECT Name FROM Probe ORDER BY Id";
        await using (var connection = await _connections.OpenAsync())
            Assert.Equal("probe 1", await connection.QueryFirstAsync<string>(FirstName)); // one row read of five

        using var otherProcess = new DbConnectionFactory(DatabaseOptions.Sqlite(_directory));
        await using (var writer = await otherProcess.OpenAsync())
        {
            await writer.ExecuteAsync("UPDATE Probe SET Name = 'renamed elsewhere' WHERE Id = 1");
            // A statement left stepping would hold a snapshot: the checkpoint would wait for it and answer busy.
            var checkpoint = await writer.QuerySingleAsync<(long Busy, long Log, long Checkpointed)>("PRAGMA wal_checkpoint(TRUNCATE)");
            Assert.Equal(0, checkpoint.Busy);
        }

        await using var again = await _connections.OpenAsync();
        Assert.Equal("renamed elsewhere", await again.QueryFirstAsync<string>(FirstName));
    }

    [Fact]
    public async Task ACommittedTransaction_DoesNotFollowItsStatementIntoTheNextLease()
    {
        const string Rename = "UPDATE Probe SET Name = @name WHERE Id = 1";
        await using (var connection = await _connections.OpenAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync(Rename, new { name = "renamed" }, tx);
            await tx.CommitAsync();
        }

        await using (var connection = await _connections.OpenAsync())
            await connection.ExecuteAsync(Rename, new { name = "renamed again" });

        await using var check = await _connections.OpenAsync();
        Assert.Equal("renamed again", await check.QuerySingleAsync<string>("SELECT Name FROM Probe WHERE Id = 1"));
    }

    [Fact]
    public async Task AConnectionGivenBackInsideATransaction_IsClosed_AndItsWritesAreRolledBack()
    {
        DbTransaction abandoned;
        await using (var connection = await _connections.OpenAsync())
        {
            abandoned = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync("INSERT INTO Probe (Id, Name) VALUES (6, 'never committed')", transaction: abandoned);
        }

        // Every idle connection the next callers get is outside a transaction and sees nothing of the abandoned write.
        var leases = new List<DbConnection>();
        for (var i = 0; i < 4; i++)
            leases.Add(await _connections.OpenAsync());
        foreach (var connection in leases)
        {
            Assert.Equal(5, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Probe"));
            await using var tx = await connection.BeginTransactionAsync();
            await tx.RollbackAsync();
        }
        foreach (var connection in leases)
            await connection.DisposeAsync();
        await abandoned.DisposeAsync();
    }

    [Fact]
    public async Task MoreDistinctQueriesThanACachedConnectionKeeps_AllAnswerRight()
    {
        await using var connection = await _connections.OpenAsync();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 200; i++)
                Assert.Equal(i + 1, await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) + {i} - 4 FROM Probe WHERE Id > @skip", new { skip = 0 }));
        }
    }

    [Fact]
    public async Task ManyCallersAtOnce_EachGetsItsOwnAnswer()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
        {
            await using var connection = await _connections.OpenAsync();
            var id = 1 + i % 5;
            return (id, name: await connection.QuerySingleAsync<string>("SELECT Name FROM Probe WHERE Id = @id", new { id }));
        })));

        Assert.All(answers, a => Assert.Equal($"probe {a.id}", a.name));
    }

    [Fact]
    public async Task AClosedLease_CannotBeUsedAgain_AndADisposedFactoryLeasesNothing()
    {
        var connection = await _connections.OpenAsync();
        await connection.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => connection.Execute("SELECT 1"));

        _connections.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _connections.OpenAsync());
    }
}
