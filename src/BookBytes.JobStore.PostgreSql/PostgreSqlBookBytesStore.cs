using System.Runtime.CompilerServices;
using BookBytes.AudioBooks;
using BookBytes.JobStore.Internal;
using BookBytes.JobStore.PostgreSql.Internal;
using BookBytes.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BookBytes.JobStore.PostgreSql;

/// <summary>
/// A durable <see cref="IJobStore"/> and <see cref="IAudioBookStore"/> in PostgreSQL, for many worker
/// nodes sharing one queue.
/// </summary>
/// <remarks>
/// <para>
/// A claim is one statement: the oldest expired lease, else the oldest due pending job, selected
/// <c>FOR UPDATE SKIP LOCKED</c> (claimers never wait on each other) and updated with a new lease token.
/// Every write after a claim is fenced by that token (<c>WHERE id = @id AND status = 'Processing' AND
/// lease_token = @token</c>); audiobook and chapter writes that carry a <see cref="JobLease"/> lock the
/// job row <c>FOR SHARE</c> and check the token in the same transaction. A fenced write that matches no
/// row throws <see cref="LeaseLostException"/>.
/// </para>
/// <para>
/// The schema is created and upgraded by embedded, versioned migrations, applied once on first use
/// (or by <see cref="MigrateAsync"/>) inside a transaction holding <c>pg_advisory_xact_lock</c>, so nodes
/// starting together do not race. Enqueueing and releasing a job sends <c>NOTIFY bookbytes_jobs</c>
/// with the job id; <see cref="ListenForJobsAsync"/> yields them so a node can wake its workers
/// without waiting for the next poll.
/// </para>
/// <para>Thread-safe. Uses one <see cref="NpgsqlDataSource"/> (its connection pool) for every call.</para>
/// </remarks>
public sealed partial class PostgreSqlBookBytesStore : IJobStore, IAudioBookStore, IJobNotificationSource, IMigratingStore, IAsyncDisposable, IDisposable
{
    /// <summary>The channel jobs are announced on: <c>bookbytes_jobs</c>; the payload is the job id.</summary>
    public const string NotificationChannel = "bookbytes_jobs";

    // An arbitrary constant naming BookBytes' migration lock among advisory locks.
    private const long MigrationLockKey = 0x426F_6F6B_4279_7465;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _migrationGate = new(1, 1);
    private volatile bool _migrated;
    private int _listenChecks;

    /// <summary>Initializes a new store over a data source the caller owns (and disposes).</summary>
    /// <param name="dataSource">The data source, created once and shared.</param>
    /// <param name="timeProvider">The clock for due times, leases and timestamps; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Where migrations are logged; none when <see langword="null"/>.</param>
    public PostgreSqlBookBytesStore(NpgsqlDataSource dataSource, TimeProvider? timeProvider = null, ILogger<PostgreSqlBookBytesStore>? logger = null)
        : this(dataSource, ownsDataSource: false, timeProvider, logger)
    {
    }

    /// <summary>Initializes a new store with its own data source built from a connection string; the store disposes it.</summary>
    /// <param name="connectionString">An Npgsql connection string, for example <c>Host=db;Database=bookbytes;Username=bookbytes;Password=...</c>. Unless it sets <c>Max Auto Prepare</c>, the store's statements are auto-prepared.</param>
    /// <param name="timeProvider">The clock for due times, leases and timestamps; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Where migrations are logged; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a valid connection string.</exception>
    public PostgreSqlBookBytesStore(string connectionString, TimeProvider? timeProvider = null, ILogger<PostgreSqlBookBytesStore>? logger = null)
        : this(CreateDataSource(connectionString), ownsDataSource: true, timeProvider, logger)
    {
    }

    private PostgreSqlBookBytesStore(NpgsqlDataSource dataSource, bool ownsDataSource, TimeProvider? timeProvider, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Creates or upgrades the schema to the newest embedded migration. Safe to call any number of
    /// times and from several nodes at once: migrations run in one transaction under an advisory lock
    /// and each version is applied once. The store also calls this on first use.
    /// </summary>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="NpgsqlException">The database cannot be reached or a migration failed.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await _migrationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
            {
                lockCommand.Parameters.AddWithValue("key", MigrationLockKey);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS schema_migrations (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)", connection, transaction))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            int current;
            await using (var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", connection, transaction))
            {
                current = (int)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            foreach (var (version, name, sql) in Migrations.All.Where(m => m.Version > current))
            {
#pragma warning disable CA2100 // Embedded migration scripts, not user input.
                await using (var migrate = new NpgsqlCommand(sql, connection, transaction))
#pragma warning restore CA2100
                {
                    await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)", connection, transaction))
                {
                    record.Parameters.AddWithValue("v", version);
                    record.Parameters.AddWithValue("n", name);
                    record.Parameters.AddWithValue("t", Now());
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                Log.MigrationApplied(_logger, version, name);
                current = version;
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            Log.SchemaCurrent(_logger, current);
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
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using (var exists = _dataSource.CreateCommand("SELECT to_regclass('schema_migrations') IS NOT NULL"))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return 0;
            }
        }

        await using var command = _dataSource.CreateCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Gets or sets how long <see cref="ListenForJobsAsync"/> waits quietly before checking its connection is alive (30 s).</summary>
    internal TimeSpan ListenCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets how many of those checks have passed.</summary>
    internal int ListenChecks => Volatile.Read(ref _listenChecks);

    /// <summary>
    /// Listens for jobs enqueued or released by any node (<c>LISTEN bookbytes_jobs</c>) and yields their
    /// ids as they arrive, holding one connection of the pool until the enumeration ends. Use it to
    /// wake idle workers at once; polling still finds everything, so a missed notification only costs
    /// latency.
    /// </summary>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <returns>The ids of jobs that became due, in the order they were announced.</returns>
    /// <exception cref="NpgsqlException">The connection failed, or did not answer the check made after each quiet
    /// <see cref="ListenCheckInterval"/>; start listening again (after a pause).</exception>
    public async IAsyncEnumerable<Guid> ListenForJobsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var arrived = new Queue<Guid>();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // Raised on this flow, inside WaitAsync below: no lock needed.
        connection.Notification += (_, e) =>
        {
            if (Guid.TryParse(e.Payload, out var id))
            {
                arrived.Enqueue(id);
            }
        };
        await using (var listen = new NpgsqlCommand("LISTEN " + NotificationChannel, connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    // A connection that died silently (a NAT or load balancer dropping it, a failover) would
                    // leave an endless wait: after a quiet interval a round trip proves it alive or throws.
                    if (!await connection.WaitAsync(ListenCheckInterval, cancellationToken).ConfigureAwait(false))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        Interlocked.Increment(ref _listenChecks);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                while (arrived.TryDequeue(out var id))
                {
                    yield return id;
                }
            }
        }
        finally
        {
            // The connection goes back to the pool: stop listening on it (the pool may not reset it).
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
                await unlisten.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Disposes the data source when the store created it.</summary>
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }

        _migrationGate.Dispose();
    }

    /// <summary>Disposes the data source when the store created it.</summary>
    /// <returns>A task that completes when the data source is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        _migrationGate.Dispose();
    }

    internal static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        }

        // The store keeps no session state on pooled connections, so resetting them on every return
        // (an extra statement per call) buys nothing; an explicit setting in the string wins.
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }

        return builder.Build();
    }

    private ValueTask EnsureMigratedAsync(CancellationToken cancellationToken)
        => _migrated ? ValueTask.CompletedTask : new ValueTask(MigrateAsync(cancellationToken));
}
