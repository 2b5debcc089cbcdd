using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Testing.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace BookBytes.JobStore.PostgreSql.Tests;

[Collection(PostgresTests.Name)]
public sealed class PostgreSqlJobStoreTests(PostgresFixture postgres) : JobStoreContractTests
{
    private string _connectionString = null!;

    protected override async Task<IJobStore> CreateStoreAsync(FakeTimeProvider time)
    {
        _connectionString = await postgres.Server.CreateDatabaseAsync();
        return new PostgreSqlBookBytesStore(_connectionString, time);
    }

    [Fact]
    public async Task Eight_store_instances_like_separate_nodes_racing_over_1000_jobs_claim_each_exactly_once()
    {
        for (var i = 0; i < 1000; i++)
        {
            await Store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            // Each claimer has its own store and data source, as separate nodes would.
            await using var store = new PostgreSqlBookBytesStore(_connectionString, Time);
            var mine = new List<Guid>();
            while (await store.ClaimNextAsync($"w{w}", TimeSpan.FromMinutes(1)) is { } claimed)
            {
                mine.Add(claimed.Job.Id);
                await store.CompleteAsync(claimed.Lease);
            }

            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        all.Should().HaveCount(1000).And.OnlyHaveUniqueItems();
        (await Store.CountAsync(JobStatus.Completed)).Should().Be(1000);
    }

    [Fact]
    public async Task While_another_node_holds_the_sweep_lock_retention_deletes_nothing_and_does_not_wait()
    {
        var job = await Store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));
        var claimed = await Store.ClaimNextAsync("w1", TimeSpan.FromMinutes(1));
        await Store.CompleteAsync(claimed!.Lease);
        await using var other = new Npgsql.NpgsqlConnection(_connectionString);
        await other.OpenAsync();
        await using var sweeping = await other.BeginTransactionAsync();
        await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('bookbytes.job_retention.' || current_schema(), 0))", other, sweeping))
        {
            await take.ExecuteNonQueryAsync();
        }

        var whileHeld = await Store.DeleteFinishedJobsAsync(Time.GetUtcNow().AddDays(1), 100).WaitAsync(TimeSpan.FromSeconds(10));
        await sweeping.RollbackAsync();
        var afterwards = await Store.DeleteFinishedJobsAsync(Time.GetUtcNow().AddDays(1), 100);

        whileHeld.Should().Be(0, "one node sweeps at a time; the others skip the round");
        afterwards.Should().Be(1);
        (await Store.GetAsync(job.Id)).Should().BeNull();
    }

    [Fact]
    public async Task Enqueue_and_release_are_announced_to_listeners()
    {
        var store = (PostgreSqlBookBytesStore)Store;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var heard = new System.Collections.Concurrent.ConcurrentQueue<Guid>();
        var listener = ListenAsync(store, heard, cts.Token);
        await DrainUntilListeningAsync(store, heard, cts.Token);

        var job = await store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));
        await WaitUntilAsync(() => heard.Count(id => id == job.Id) == 1, cts.Token);
        var claimed = await store.ClaimNextAsync("w1", TimeSpan.FromMinutes(1));
        await store.ReleaseAsync(claimed!.Lease);
        await WaitUntilAsync(() => heard.Count(id => id == job.Id) == 2, cts.Token);
        await cts.CancelAsync();
        await listener;

        claimed.Job.Id.Should().Be(job.Id);
        heard.Count(id => id == job.Id).Should().Be(2);
    }

    [Fact]
    public async Task A_listener_checks_its_connection_when_quiet_and_keeps_hearing_afterwards()
    {
        var store = (PostgreSqlBookBytesStore)Store;
        store.ListenCheckInterval = TimeSpan.FromMilliseconds(50);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var heard = new System.Collections.Concurrent.ConcurrentQueue<Guid>();
        var listener = ListenAsync(store, heard, cts.Token);
        await DrainUntilListeningAsync(store, heard, cts.Token);

        var checks = store.ListenChecks;
        await WaitUntilAsync(() => store.ListenChecks >= checks + 3 || listener.IsCompleted, cts.Token);
        var job = await store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));
        await WaitUntilAsync(() => heard.Contains(job.Id) || listener.IsCompleted, cts.Token);

        listener.IsFaulted.Should().BeFalse(listener.Exception?.ToString());
        heard.Should().Contain(job.Id);
        await cts.CancelAsync();
        await listener;
    }

    /// <summary>Listens on a pool thread, collecting what is heard, until <paramref name="cancellationToken"/> ends it.</summary>
    private static Task ListenAsync(PostgreSqlBookBytesStore store, System.Collections.Concurrent.ConcurrentQueue<Guid> heard, CancellationToken cancellationToken)
        => Task.Run(async () =>
        {
            try
            {
                await foreach (var id in store.ListenForJobsAsync(cancellationToken))
                {
                    heard.Enqueue(id);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }, CancellationToken.None);

    private static async Task DrainUntilListeningAsync(PostgreSqlBookBytesStore store, System.Collections.Concurrent.ConcurrentQueue<Guid> heard, CancellationToken cancellationToken)
    {
        // LISTEN starts inside the enumeration: enqueue probes until one is heard, then finish them all.
        while (heard.IsEmpty)
        {
            await store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"), cancellationToken);
            await Task.Delay(50, cancellationToken);
        }

        while (await store.ClaimNextAsync("probe", TimeSpan.FromMinutes(1), cancellationToken) is { } probe)
        {
            await store.CompleteAsync(probe.Lease, cancellationToken);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}

[Collection(PostgresTests.Name)]
public sealed class PostgreSqlAudioBookStoreTests(PostgresFixture postgres) : AudioBookStoreContractTests
{
    protected override async Task<(IAudioBookStore Books, IJobStore Jobs)> CreateStoresAsync(FakeTimeProvider time)
    {
        var store = new PostgreSqlBookBytesStore(await postgres.Server.CreateDatabaseAsync(), time);
        return (store, store);
    }
}
