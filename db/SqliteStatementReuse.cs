using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace CallReview.Db;

/// <summary>
/// Open SQLite connections kept for reuse together with the statements SQLite has compiled on them.
/// Microsoft.Data.Sqlite compiles every command afresh (parse, resolve, plan) and throws the result away when the
/// command or its connection closes, and Dapper makes a command per query: on a page that runs three small queries,
/// compiling was most of SQLite's time. Here a connection stays open between leases and keeps one compiled command
/// per SQL text, so the same query on the same connection is only bound and stepped.
/// </summary>
internal sealed class SqliteStatementReuse(string connectionString, Action<SqliteConnection> configure) : IDisposable
{
    /// <summary>Idle connections kept open; more are opened under load and closed when given back to a full pool.</summary>
    private const int MaxIdle = 16;

    /// <summary>Compiled commands kept per connection; SQL built per request (IN lists, filters) must not grow it without end.</summary>
    private const int MaxStatements = 64;

    private readonly Stack<Physical> _idle = new();
    private bool _disposed;

    public DbConnection Lease()
    {
        Physical? physical = null;
        lock (_idle)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.Count > 0)
                physical = _idle.Pop();
        }
        if (physical is null)
        {
            var connection = new SqliteConnection(connectionString);
            try
            {
                connection.Open();
                configure(connection);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
            physical = new Physical(connection);
        }
        return new Leased(physical, this);
    }

    private void GiveBack(Physical physical)
    {
        // A connection left inside a transaction, or closed under us, is not handed to the next request.
        var reusable = physical.Connection.State == ConnectionState.Open
            && physical.Connection.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) != 0;
        if (reusable)
        {
            physical.EndLease();
            lock (_idle)
            {
                if (!_disposed && _idle.Count < MaxIdle)
                {
                    _idle.Push(physical);
                    return;
                }
            }
        }
        physical.Dispose();
    }

    /// <summary>How many commands the physical connection behind <paramref name="leased"/> has compiled (tests).</summary>
    internal static int CompiledOn(DbConnection leased) => ((Leased)leased).Physical.Compiled;

    public void Dispose()
    {
        lock (_idle)
        {
            _disposed = true;
            while (_idle.Count > 0)
                _idle.Pop().Dispose();
        }
    }

    /// <summary>A command compiled on a connection, and the reader it last opened (busy until that is closed).</summary>
    private sealed class Statement(SqliteCommand command)
    {
        public SqliteCommand Command { get; } = command;
        public SqliteDataReader? Reader { get; set; }
        public long LastUsed { get; set; }
        public bool Busy => Reader is { IsClosed: false };
    }

    /// <summary>One open SQLite connection and the commands compiled on it, used by one lease at a time.</summary>
    private sealed class Physical(SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<string, Statement> _statements = new(StringComparer.Ordinal);

        /// <summary>Commands made for one lease only (their SQL was busy on an open reader, or the cache was full of busy ones).</summary>
        private readonly List<SqliteCommand> _oneOff = [];

        private long _uses;

        public SqliteConnection Connection { get; } = connection;

        /// <summary>Commands compiled on this connection so far.</summary>
        public int Compiled { get; private set; }

        /// <summary>The compiled command for this SQL when it is free (<paramref name="cached"/>), otherwise a fresh one for this lease (null).</summary>
        public SqliteCommand CommandFor(string sql, out Statement? cached)
        {
            _uses++;
            if (_statements.TryGetValue(sql, out cached))
            {
                if (!cached.Busy)
                {
                    cached.LastUsed = _uses;
                    return cached.Command;
                }
            }
            else if (_statements.Count < MaxStatements || EvictLeastRecentlyUsed())
            {
                Compiled++;
                cached = new Statement(Connection.CreateCommand()) { LastUsed = _uses };
                cached.Command.CommandText = sql;
                _statements.Add(sql, cached);
                return cached.Command;
            }
            Compiled++;
            cached = null;
            var oneOff = Connection.CreateCommand();
            oneOff.CommandText = sql;
            _oneOff.Add(oneOff);
            return oneOff;
        }

        private bool EvictLeastRecentlyUsed()
        {
            Statement? oldest = null;
            string? oldestSql = null;
            foreach (var (sql, statement) in _statements)
            {
                if (!statement.Busy && (oldest is null || statement.LastUsed < oldest.LastUsed))
                    (oldest, oldestSql) = (statement, sql);
            }
            if (oldest is null)
                return false;
            _statements.Remove(oldestSql!);
            oldest.Command.Dispose();
            return true;
        }

        /// <summary>Readers a lease left open are closed (which resets their statements) before the next lease.</summary>
        public void EndLease()
        {
            foreach (var statement in _statements.Values)
            {
                statement.Reader?.Dispose();
                statement.Reader = null;
                statement.Command.Transaction = null;
            }
            foreach (var command in _oneOff)
                command.Dispose();
            _oneOff.Clear();
        }

        public void Dispose()
        {
            EndLease();
            foreach (var statement in _statements.Values)
                statement.Command.Dispose();
            _statements.Clear();
            Connection.Dispose();
        }
    }

    /// <summary>What a caller holds between <see cref="Lease"/> and dispose: the physical connection, once.</summary>
    private sealed class Leased(Physical physical, SqliteStatementReuse pool) : DbConnection
    {
        private Physical? _physical = physical;

        internal Physical Physical => _physical ?? throw new ObjectDisposedException(nameof(DbConnection), "This connection was closed and went back to the pool; open another from the factory.");

        [AllowNull]
        public override string ConnectionString { get => Physical.Connection.ConnectionString; set => throw new NotSupportedException(); }
        public override string Database => Physical.Connection.Database;
        public override string DataSource => Physical.Connection.DataSource;
        public override string ServerVersion => Physical.Connection.ServerVersion;
        public override ConnectionState State => _physical is null ? ConnectionState.Closed : ConnectionState.Open;
        public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();
        // Leased open; once closed it is back in the pool and only the factory hands out a connection again.
        public override void Open() => _ = Physical;
        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => Physical.Connection.BeginTransaction(isolationLevel);
        protected override DbCommand CreateDbCommand() => new ReusingCommand(this);

        public override void Close()
        {
            if (Interlocked.Exchange(ref _physical, null) is { } physical)
                pool.GiveBack(physical);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                Close();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A command on a leased connection: collects text and parameters, runs them on the connection's compiled command.</summary>
    private sealed class ReusingCommand(Leased connection) : DbCommand
    {
        private readonly ParameterList _parameters = new();

        /// <summary>The parameters until the command runs, when they move to the compiled command.</summary>
        private sealed class ParameterList : SqliteParameterCollection;

        [AllowNull]
        public override string CommandText { get; set; } = "";
        public override int CommandTimeout { get; set; } = 30;
        public override CommandType CommandType
        {
            get => CommandType.Text;
            set { if (value != CommandType.Text) throw new NotSupportedException("SQLite runs text commands only."); }
        }
        public override bool DesignTimeVisible { get; set; }
        public override UpdateRowSource UpdatedRowSource { get; set; }
        protected override DbConnection? DbConnection { get => connection; set => throw new NotSupportedException(); }
        protected override DbParameterCollection DbParameterCollection => _parameters;
        protected override DbTransaction? DbTransaction { get; set; }
        public override void Cancel() { }
        protected override DbParameter CreateDbParameter() => new SqliteParameter();
        public override void Prepare() { }

        private SqliteCommand Target(out Statement? cached)
        {
            var target = connection.Physical.CommandFor(CommandText, out cached);
            target.Transaction = (SqliteTransaction?)Transaction;
            target.CommandTimeout = CommandTimeout;
            target.Parameters.Clear();
            foreach (SqliteParameter parameter in _parameters)
                target.Parameters.Add(parameter);
            return target;
        }

        public override int ExecuteNonQuery() => Target(out _).ExecuteNonQuery();

        public override object? ExecuteScalar() => Target(out _).ExecuteScalar();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            // Closing the reader must not close the physical connection under the pool.
            var reader = Target(out var cached).ExecuteReader(behavior & ~CommandBehavior.CloseConnection);
            if (cached is not null)
                cached.Reader = reader;
            return reader;
        }
    }
}
