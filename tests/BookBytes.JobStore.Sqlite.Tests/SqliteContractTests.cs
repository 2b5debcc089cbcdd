using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Testing.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace BookBytes.JobStore.Sqlite.Tests;

public sealed class SqliteJobStoreTests : JobStoreContractTests
{
    private readonly TempDatabase _db = new();

    protected override Task<IJobStore> CreateStoreAsync(FakeTimeProvider time) => Task.FromResult<IJobStore>(new SqliteBookBytesStore(_db.ConnectionString, time));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _db.Dispose();
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
            // Each claimer has its own store instance: its own connections, as separate nodes would.
            await using var store = new SqliteBookBytesStore(_db.ConnectionString, Time);
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
    public async Task A_job_survives_a_new_store_instance_over_the_same_file()
    {
        var job = await Store.EnqueueAsync(new NewJob(JobKind.AudiobookRefresh, "{\"x\":1}", NotBefore: Time.GetUtcNow().AddTicks(1234567)));

        await using var reopened = new SqliteBookBytesStore(_db.ConnectionString, Time);
        var read = await reopened.GetAsync(job.Id);

        read.Should().Be(job);
    }
}

public sealed class SqliteAudioBookStoreTests : AudioBookStoreContractTests
{
    private readonly TempDatabase _db = new();

    protected override Task<(IAudioBookStore Books, IJobStore Jobs)> CreateStoresAsync(FakeTimeProvider time)
    {
        var store = new SqliteBookBytesStore(_db.ConnectionString, time);
        return Task.FromResult<(IAudioBookStore, IJobStore)>((store, store));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _db.Dispose();
    }
}
