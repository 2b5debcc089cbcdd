using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Pipeline.Stores;
using BookBytes.Testing.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace BookBytes.Pipeline.Tests.Stores;

public sealed class InMemoryJobStoreTests : JobStoreContractTests
{
    protected override Task<IJobStore> CreateStoreAsync(FakeTimeProvider time) => Task.FromResult<IJobStore>(new InMemoryBookBytesStore(time));

    [Fact]
    public async Task Eight_claimers_racing_over_1000_jobs_claim_each_exactly_once()
    {
        for (var i = 0; i < 1000; i++)
        {
            await Store.EnqueueAsync(new NewJob(JobType.AudiobookGeneration, "{}"));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var mine = new List<Guid>();
            while (await Store.ClaimNextAsync($"w{w}", TimeSpan.FromMinutes(1)) is { } claimed)
            {
                mine.Add(claimed.Job.Id);
                await Store.CompleteAsync(claimed.Lease);
            }

            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        all.Should().HaveCount(1000).And.OnlyHaveUniqueItems();
        (await Store.CountAsync(JobStatus.Completed)).Should().Be(1000);
    }
}

public sealed class InMemoryAudioBookStoreTests : AudioBookStoreContractTests
{
    protected override Task<(IAudioBookStore Books, IJobStore Jobs)> CreateStoresAsync(FakeTimeProvider time)
    {
        var store = new InMemoryBookBytesStore(time);
        return Task.FromResult<(IAudioBookStore, IJobStore)>((store, store));
    }
}
