using System.Collections.Concurrent;
using System.Globalization;
using BookBytes.AudioBooks;
using BookBytes.JobStore.Internal;
using BookBytes.JobStore.Sqlite.Internal;
using BookBytes.Jobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace BookBytes.JobStore.Sqlite;

/// <summary>
/// A durable <see cref="IJobStore"/> and <see cref="IAudioBookStore"/> in one SQLite database file:
/// the embedded default for a single node (several processes on one machine may share the file).
/// </summary>
/// <remarks>
/// <para>
/// The database runs in WAL mode with a busy timeout. Every write is one <c>BEGIN IMMEDIATE</c>
/// transaction, so writers are serialized by SQLite itself: a claim is a conditional
/// <c>UPDATE ... WHERE id = (the oldest due job) RETURNING</c>, and every write after a claim (also
/// audiobook and chapter writes that carry a <see cref="JobLease"/>) checks the claim's token in the
/// same transaction and throws <see cref="LeaseLostException"/> when it no longer matches.
/// </para>
/// <para>
/// The schema is created and upgraded by embedded, versioned migrations, applied once on first use
/// (or by <see cref="MigrateAsync"/>) under the database's write lock, so processes starting together
/// do not race. Timestamps are stored as UTC ticks and round-trip exactly.
/// </para>
/// <para>Thread-safe: connections are pooled, one per concurrent call.</para>
/// </remarks>
public sealed partial class SqliteBookBytesStore : IJobStore, IAudioBookStore, IMigratingStore, IAsyncDisposable, IDisposable
{
    private const int MaxPooledConnections = 16;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentBag<PooledConnection> _pool = [];
    private readonly SemaphoreSlim _migrationGate = new(1, 1);

    private volatile bool _migrated;
    private volatile bool _disposed;

    /// <summary>Initializes a new store over the database a connection string names.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, for example <c>Data Source=./data/bookbytes.db</c>. The file is created when missing.</param>
    /// <param name="timeProvider">The clock for due times, leases and timestamps; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Where migrations are logged; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or names an in-memory database (which cannot be shared between connections).</exception>
    public SqliteBookBytesStore(string connectionString, TimeProvider? timeProvider = null, ILogger<SqliteBookBytesStore>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new ArgumentException("The SQLite store needs a database file (Data Source=path); an in-memory database cannot be shared by its connections.", nameof(connectionString));
        }

        if (Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        // The store keeps its own pool of prepared connections; the driver's pool would only add a layer.
        builder.Pooling = false;
        _connectionString = builder.ToString();
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// Creates or upgrades the schema to the newest embedded migration. Safe to call any number of
    /// times and from several processes at once: migrations run under the database's write lock and
    /// each version is applied once. The store also calls this on first use.
    /// </summary>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="SqliteException">The database cannot be opened or a migration failed.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _migrationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = OpenRaw();
            Command(connection, "PRAGMA journal_mode=WAL").ExecuteNonQuery();
            Command(connection, "BEGIN IMMEDIATE").ExecuteNonQuery();
            try
            {
                Command(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)").ExecuteNonQuery();
                var current = Convert.ToInt32(Command(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").ExecuteScalar(), CultureInfo.InvariantCulture);
                foreach (var (version, name, sql) in Migrations.All.Where(m => m.Version > current))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Command(connection, sql).ExecuteNonQuery();
                    var record = Command(connection, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)");
                    record.Parameters.AddWithValue("@v", version);
                    record.Parameters.AddWithValue("@n", name);
                    record.Parameters.AddWithValue("@t", _time.GetUtcNow().UtcTicks);
                    record.ExecuteNonQuery();
                    Log.MigrationApplied(_logger, version, name);
                    current = version;
                }

                Command(connection, "COMMIT").ExecuteNonQuery();
                Log.SchemaCurrent(_logger, current);
            }
            catch
            {
                try
                {
                    Command(connection, "ROLLBACK").ExecuteNonQuery();
                }
                catch (SqliteException)
                {
                    // SQLite already rolled back (disk full, I/O error): the original error is the one to report.
                }

                throw;
            }

            _migrated = true;
        }
        finally
        {
            _migrationGate.Release();
        }
    }

    /// <summary>Gets the schema version the database is at (0 before the first migration).</summary>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The highest applied migration version.</returns>
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenRaw();
        var exists = Command(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").ExecuteScalar();
        if (Convert.ToInt64(exists, CultureInfo.InvariantCulture) == 0)
        {
            return Task.FromResult(0);
        }

        return Task.FromResult(Convert.ToInt32(Command(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").ExecuteScalar(), CultureInfo.InvariantCulture));
    }

    /// <summary>Closes the store's pooled connections.</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_pool.TryTake(out var connection))
        {
            connection.Dispose();
        }

        _migrationGate.Dispose();
    }

    /// <summary>Closes the store's pooled connections.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // Only the store's own constant SQL and embedded migrations reach here.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragmas = Command(connection, "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async ValueTask<Rented> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_migrated)
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return new Rented(this, _pool.TryTake(out var pooled) ? pooled : new PooledConnection(OpenRaw()));
    }

    /// <summary>Runs <paramref name="work"/> in one <c>BEGIN IMMEDIATE</c> transaction, on a pooled connection (SQLite itself serializes writers).</summary>
    private async Task<T> WriteAsync<T>(Func<PooledConnection, T> work, CancellationToken cancellationToken)
    {
        using var db = await RentAsync(cancellationToken).ConfigureAwait(false);
        return db.InTransaction(work);
    }

    private void Return(PooledConnection connection)
    {
        if (_disposed || _pool.Count >= MaxPooledConnections)
        {
            connection.Dispose();
            return;
        }

        _pool.Add(connection);
    }

    /// <summary>A connection borrowed from the pool for one call.</summary>
    private readonly struct Rented(SqliteBookBytesStore owner, PooledConnection connection) : IDisposable
    {
        public PooledConnection Connection { get; } = connection;

        public SqliteCommand Command(string sql) => Connection.Command(sql);

        /// <summary>Runs <paramref name="work"/> in one <c>BEGIN IMMEDIATE</c> transaction.</summary>
        public T InTransaction<T>(Func<PooledConnection, T> work)
        {
            Connection.Begin();
            try
            {
                var result = work(Connection);
                Connection.Commit();
                return result;
            }
            catch
            {
                Connection.Rollback();
                throw;
            }
        }

        public void Dispose() => owner.Return(Connection);
    }
}
