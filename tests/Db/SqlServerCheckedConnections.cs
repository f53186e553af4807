using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using CallReview.Db;

namespace CallReview.Tests.Db;

/// <summary>
/// The connections every test app and test database use: SQLite underneath, with the dialect that marks its
/// SQLite fragments (<see cref="SqlDialect.SqliteMarkedForSqlServer"/>). Each command the app sends is turned
/// into the statement SQL Server would receive and parsed as T-SQL before it runs; a statement SQL Server
/// would refuse fails the command, so the test that sent it fails, naming the statement and its sender.
/// <para>
/// Why this inventory is complete: the app opens connections only through <see cref="IDbConnectionFactory"/>
/// (nothing outside <c>db/</c> creates a connection, see <c>SqlServerStatementTests</c>), and the test app and
/// <see cref="TestDatabase"/> register this factory, so every statement any handler, command, seeder, worker or
/// the migrator sends while the suite runs is parsed — including a statement added later, as soon as a test
/// reaches it, with no list to edit. SQL the tests themselves send (fixtures, assertions) is not checked.
/// </para>
/// </summary>
/// <param name="beforeEach">Runs before each command with its text: a test's write from another connection between a
/// handler's statements, as another reviewer's request could make it.</param>
public sealed class SqlServerCheckedConnections(DatabaseOptions options, Action<string>? beforeEach = null) : IDbConnectionFactory, IDisposable
{
    private readonly DbConnectionFactory _sqlite = new(options);

    public SqlDialect Dialect => SqlDialect.SqliteMarkedForSqlServer;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        new CheckedConnection(await _sqlite.OpenAsync(cancellationToken), beforeEach);

    public Task<IDisposable> WriteTurnAsync(CancellationToken cancellationToken = default) => _sqlite.WriteTurnAsync(cancellationToken);

    public void Dispose() => _sqlite.Dispose();

    /// <summary>Every statement checked so far (SQL Server text → the code that sent it), for the inventory test.</summary>
    public static ConcurrentDictionary<string, string> Checked { get; } = new();

    private static readonly ConcurrentDictionary<string, IReadOnlyList<string>> ErrorsByStatement = new();

    /// <summary>The SQLite migration scripts: SQL Server runs its own, parsed by SqlServerStatementTests.</summary>
    private static readonly HashSet<string> SqliteMigrations = Migrator.Load(DatabaseProvider.Sqlite).Select(m => m.Sql).ToHashSet();

    private static void Check(string commandText)
    {
        if (SqliteMigrations.Contains(commandText))
            return;
        var sender = Sender();
        if (sender is null)
            return;
        var statement = SqlDialect.AsSqlServer(commandText);
        Checked.TryAdd(statement, sender);
        var errors = ErrorsByStatement.GetOrAdd(statement, SqlServerSyntax.Errors);
        if (errors.Count > 0)
            throw new InvalidOperationException(
                $"SQL Server would refuse this statement sent by {sender}: {string.Join("; ", errors)}\n{statement}");
    }

    /// <summary>The app method that sent the command, or null when a test sent it itself.</summary>
    private static string? Sender()
    {
        foreach (var frame in new StackTrace(2, false).GetFrames())
        {
            var type = frame.GetMethod()?.DeclaringType;
            var assembly = type?.Assembly.GetName().Name ?? "";
            if (type is null || type == typeof(CheckedCommand) || assembly == "Dapper"
                || assembly.StartsWith("System", StringComparison.Ordinal) || assembly.StartsWith("Microsoft", StringComparison.Ordinal))
                continue;
            if (assembly == typeof(SqlServerCheckedConnections).Assembly.GetName().Name)
                return null;
            // An async method runs in a compiler-generated state machine nested in the real type.
            while (type.DeclaringType is not null && type.Name.StartsWith('<'))
                type = type.DeclaringType;
            return $"{type.FullName}.{frame.GetMethod()!.Name.Replace("MoveNext", "")}".TrimEnd('.');
        }
        return null;
    }

    private sealed class CheckedConnection(DbConnection inner, Action<string>? beforeEach) : DbConnection
    {
        [AllowNull]
        public override string ConnectionString { get => inner.ConnectionString; set => inner.ConnectionString = value; }
        public override string Database => inner.Database;
        public override string DataSource => inner.DataSource;
        public override string ServerVersion => inner.ServerVersion;
        public override ConnectionState State => inner.State;
        public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);
        public override void Close() => inner.Close();
        public override void Open() => inner.Open();
        public override Task OpenAsync(CancellationToken cancellationToken) => inner.OpenAsync(cancellationToken);
        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => inner.BeginTransaction(isolationLevel);
        protected override DbCommand CreateDbCommand() => new CheckedCommand(inner.CreateCommand(), this, beforeEach);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    private sealed class CheckedCommand(DbCommand inner, DbConnection connection, Action<string>? beforeEach) : DbCommand
    {
        [AllowNull]
        public override string CommandText { get => inner.CommandText; set => inner.CommandText = value; }
        public override int CommandTimeout { get => inner.CommandTimeout; set => inner.CommandTimeout = value; }
        public override CommandType CommandType { get => inner.CommandType; set => inner.CommandType = value; }
        public override bool DesignTimeVisible { get => inner.DesignTimeVisible; set => inner.DesignTimeVisible = value; }
        public override UpdateRowSource UpdatedRowSource { get => inner.UpdatedRowSource; set => inner.UpdatedRowSource = value; }
        protected override DbConnection? DbConnection { get => connection; set => throw new NotSupportedException(); }
        protected override DbParameterCollection DbParameterCollection => inner.Parameters;
        protected override DbTransaction? DbTransaction { get => inner.Transaction; set => inner.Transaction = value; }
        public override void Cancel() => inner.Cancel();
        protected override DbParameter CreateDbParameter() => inner.CreateParameter();
        public override void Prepare() => inner.Prepare();

        private void Run()
        {
            Check(CommandText);
            beforeEach?.Invoke(CommandText);
        }

        public override int ExecuteNonQuery()
        {
            Run();
            return inner.ExecuteNonQuery();
        }

        public override object? ExecuteScalar()
        {
            Run();
            return inner.ExecuteScalar();
        }

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            Run();
            return inner.ExecuteReader(behavior);
        }

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
        {
            Run();
            return inner.ExecuteNonQueryAsync(cancellationToken);
        }

        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
        {
            Run();
            return inner.ExecuteScalarAsync(cancellationToken);
        }

        protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
        {
            Run();
            return inner.ExecuteReaderAsync(behavior, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
