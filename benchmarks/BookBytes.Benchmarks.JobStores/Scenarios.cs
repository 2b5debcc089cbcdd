using System.Diagnostics;
using System.Globalization;
using BookBytes.Jobs;
using BookBytes.Pipeline.Jobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace BookBytes.Benchmarks.JobStores;

internal static class Scenarios
{
    // The statements the stores issue for a claim and a completion, copied so the bare loop has no library around them.
    private const string Columns =
        "id, type, status, payload, progress, current_step, attempt, max_attempts, error_code, error_message, not_before, " +
        "lease_owner, lease_expires_at, llm_input_tokens, llm_output_tokens, tts_characters, created_at, updated_at, started_at, completed_at, rescues";

    private const string SqliteClaim =
        "UPDATE jobs SET status = 'Processing', attempt = CASE WHEN status = 'Processing' THEN attempt ELSE attempt + 1 END, " +
        "rescues = CASE WHEN status = 'Processing' THEN rescues + 1 ELSE rescues END, " +
        "lease_owner = @worker, lease_token = @token, " +
        "lease_expires_at = @expires, started_at = COALESCE(started_at, @now), updated_at = @now " +
        "WHERE id = COALESCE(" +
        "(SELECT id FROM jobs INDEXED BY ix_jobs_processing_lease WHERE status = 'Processing' AND lease_expires_at <= @now ORDER BY lease_expires_at LIMIT 1), " +
        "(SELECT id FROM jobs INDEXED BY ix_jobs_pending_due WHERE status = 'Pending' AND not_before <= @now ORDER BY not_before, created_at LIMIT 1)) " +
        "RETURNING " + Columns;

    private const string PgClaim =
        "UPDATE jobs SET status = 'Processing', attempt = CASE WHEN status = 'Processing' THEN attempt ELSE attempt + 1 END, " +
        "rescues = CASE WHEN status = 'Processing' THEN rescues + 1 ELSE rescues END, " +
        "lease_owner = @worker, lease_token = @token, " +
        "lease_expires_at = @expires, started_at = COALESCE(started_at, @now), updated_at = @now " +
        "WHERE id = COALESCE(" +
        "(SELECT id FROM jobs WHERE status = 'Processing' AND lease_expires_at <= @now ORDER BY lease_expires_at LIMIT 1 FOR UPDATE SKIP LOCKED), " +
        "(SELECT id FROM jobs WHERE status = 'Pending' AND not_before <= @now ORDER BY not_before, created_at LIMIT 1 FOR UPDATE SKIP LOCKED)) " +
        "RETURNING " + Columns;

    private const string Complete =
        "UPDATE jobs SET status = 'Completed', progress = 100, error_code = NULL, error_message = NULL, completed_at = @now, " +
        "lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL, updated_at = @now " +
        "WHERE id = @id AND status = 'Processing' AND lease_token = @token";

    public sealed record Throughput(int Jobs, TimeSpan Elapsed)
    {
        public double PerSecond => Jobs / Elapsed.TotalSeconds;
    }

    public sealed record Latency(double P50Microseconds, double P99Microseconds, Throughput StoreLoop);

    /// <summary>The library path: AddBookBytes + the store's AddXxxStore + a no-op processor; the JobRunner's workers claim and complete.</summary>
    public static async Task<Throughput> RunnerAsync(string name, Action<BookBytes.DependencyInjection.IBookBytesBuilder> addStore, int jobs, int workers)
    {
        var processor = new NoOpProcessor(jobs);
        var services = new ServiceCollection();
        var builder = services.AddBookBytes(o =>
        {
            o.Jobs.MaxConcurrentJobs = workers;
            o.Jobs.PollInterval = TimeSpan.FromMilliseconds(10);
        });
        addStore(builder);
        services.AddSingleton<IJobHandler>(processor);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IJobStore>();
        await EnqueueAsync(store, jobs);
        var runner = provider.GetServices<IHostedService>().OfType<BackgroundService>().Single(); // the job runner (the store's migration service is not one)

        var watch = Stopwatch.StartNew();
        await runner.StartAsync(CancellationToken.None);
        await processor.AllStarted.Task;
        while (await store.CountAsync(JobStatus.Completed) < jobs)
        {
            await Task.Delay(1);
        }

        watch.Stop();
        await runner.StopAsync(CancellationToken.None);
        Console.WriteLine($"  {name} via JobRunner: {jobs} jobs in {watch.Elapsed.TotalSeconds:F2} s");
        return new Throughput(jobs, watch.Elapsed);
    }

    /// <summary>The same claim and complete statements in a tight loop per worker, on one prepared connection each.</summary>
    public static async Task<Throughput> BareSqliteAsync(string connectionString, int jobs, int workers)
    {
        await using (var store = new BookBytes.JobStore.Sqlite.SqliteBookBytesStore(connectionString))
        {
            await EnqueueAsync(store, jobs);
        }

        var done = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() =>
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            Exec(connection, "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL;");
            using var begin = Command(connection, "BEGIN IMMEDIATE");
            using var commit = Command(connection, "COMMIT");
            using var claim = Command(connection, SqliteClaim);
            using var complete = Command(connection, Complete);
            var worker = $"bare/{w}";
            while (true)
            {
                var now = DateTimeOffset.UtcNow;
                var token = Guid.NewGuid().ToString("D");
                begin.ExecuteNonQuery();
                claim.Parameters.Clear();
                claim.Parameters.AddWithValue("@worker", worker);
                claim.Parameters.AddWithValue("@token", token);
                claim.Parameters.AddWithValue("@expires", (now + TimeSpan.FromMinutes(2)).UtcTicks);
                claim.Parameters.AddWithValue("@now", now.UtcTicks);
                string? id = null;
                using (var reader = claim.ExecuteReader())
                {
                    if (reader.Read())
                    {
                        id = reader.GetString(0);
                    }
                }

                commit.ExecuteNonQuery();
                if (id is null)
                {
                    return;
                }

                begin.ExecuteNonQuery();
                complete.Parameters.Clear();
                complete.Parameters.AddWithValue("@id", id);
                complete.Parameters.AddWithValue("@token", token);
                complete.Parameters.AddWithValue("@now", DateTimeOffset.UtcNow.UtcTicks);
                complete.ExecuteNonQuery();
                commit.ExecuteNonQuery();
                Interlocked.Increment(ref done);
            }
        })));
        watch.Stop();
        Check(done, jobs);
        Console.WriteLine($"  bare SQLite loop: {jobs} jobs in {watch.Elapsed.TotalSeconds:F2} s");
        return new Throughput(jobs, watch.Elapsed);
    }

    /// <summary>The same claim and complete statements in a tight loop per worker, on one prepared connection each.</summary>
    public static async Task<Throughput> BarePostgresAsync(string connectionString, int jobs, int workers)
    {
        await using (var store = new BookBytes.JobStore.PostgreSql.PostgreSqlBookBytesStore(connectionString))
        {
            await EnqueueAsync(store, jobs);
        }

        var done = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var claim = new NpgsqlCommand(PgClaim, connection);
            var pWorker = claim.Parameters.Add(new NpgsqlParameter<string>("worker", $"bare/{w}"));
            var pToken = claim.Parameters.Add(new NpgsqlParameter<Guid>("token", Guid.Empty));
            var pExpires = claim.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("expires", DateTimeOffset.UtcNow));
            var pNow = claim.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", DateTimeOffset.UtcNow));
            await claim.PrepareAsync();
            await using var complete = new NpgsqlCommand(Complete, connection);
            var cId = complete.Parameters.Add(new NpgsqlParameter<Guid>("id", Guid.Empty));
            var cToken = complete.Parameters.Add(new NpgsqlParameter<Guid>("token", Guid.Empty));
            var cNow = complete.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", DateTimeOffset.UtcNow));
            await complete.PrepareAsync();
            while (true)
            {
                var now = DateTimeOffset.UtcNow;
                var token = Guid.NewGuid();
                ((NpgsqlParameter<Guid>)pToken).TypedValue = token;
                ((NpgsqlParameter<DateTimeOffset>)pExpires).TypedValue = now + TimeSpan.FromMinutes(2);
                ((NpgsqlParameter<DateTimeOffset>)pNow).TypedValue = now;
                Guid? id = null;
                await using (var reader = await claim.ExecuteReaderAsync())
                {
                    if (await reader.ReadAsync())
                    {
                        id = reader.GetGuid(0);
                    }
                }

                if (id is null)
                {
                    return;
                }

                ((NpgsqlParameter<Guid>)cId).TypedValue = id.Value;
                ((NpgsqlParameter<Guid>)cToken).TypedValue = token;
                ((NpgsqlParameter<DateTimeOffset>)cNow).TypedValue = DateTimeOffset.UtcNow;
                await complete.ExecuteNonQueryAsync();
                Interlocked.Increment(ref done);
            }
        })));
        watch.Stop();
        Check(done, jobs);
        Console.WriteLine($"  bare PostgreSQL loop: {jobs} jobs in {watch.Elapsed.TotalSeconds:F2} s");
        return new Throughput(jobs, watch.Elapsed);
    }

    /// <summary>ClaimNextAsync latency through the store API, with <paramref name="workers"/> claimers each completing what it claims.</summary>
    public static async Task<Latency> ClaimLatencyAsync<TStore>(Func<TStore> createStore, int jobs, int workers)
        where TStore : class, IJobStore, IAsyncDisposable
    {
        await using var store = createStore();
        await EnqueueAsync(store, jobs);
        var watch = Stopwatch.StartNew();
        var samples = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (true)
            {
                var start = Stopwatch.GetTimestamp();
                var claimed = await store.ClaimNextAsync($"lat/{w}", TimeSpan.FromMinutes(2));
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                if (claimed is null)
                {
                    return mine;
                }

                await store.CompleteAsync(claimed.Lease);
            }
        })));
        watch.Stop();
        Console.WriteLine($"  {typeof(TStore).Name} API loop: {jobs} jobs in {watch.Elapsed.TotalSeconds:F2} s");
        var all = samples.SelectMany(s => s).Order().ToArray();
        return new Latency(Percentile(all, 0.50), Percentile(all, 0.99), new Throughput(jobs, watch.Elapsed));
    }

    public static string Row(string store, int jobs, Throughput runner, Throughput bare, Latency latency)
        => string.Create(CultureInfo.InvariantCulture,
            $"| {store} | {jobs:N0} | {runner.PerSecond:N0} | {latency.StoreLoop.PerSecond:N0} | {bare.PerSecond:N0} | {runner.PerSecond / bare.PerSecond:F2} | {latency.StoreLoop.PerSecond / bare.PerSecond:F2} | {latency.P50Microseconds / 1000:F2} ms | {latency.P99Microseconds / 1000:F2} ms |");

    private static async Task EnqueueAsync(IJobStore store, int jobs)
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(part => Task.Run(async () =>
        {
            for (var i = part; i < jobs; i += 4)
            {
                await store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}", NotBefore: start));
            }
        })));
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static void Check(int done, int jobs)
    {
        if (done != jobs)
        {
            throw new InvalidOperationException($"{done} of {jobs} jobs completed.");
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        command.ExecuteNonQuery();
    }

    private sealed class NoOpProcessor(int expected) : IJobHandler
    {
        private int _started;

        public TaskCompletionSource AllStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyCollection<JobKind> Kinds { get; } = [JobKind.AudiobookGeneration, JobKind.AudiobookRefresh];

        public Task<JobResult> HandleAsync(JobExecution execution, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _started) == expected)
            {
                AllStarted.TrySetResult();
            }

            return Task.FromResult(JobResult.Completed);
        }
    }
}
