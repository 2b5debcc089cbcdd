using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Pipeline.Stores;
using BookBytes.Testing.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace BookBytes.Pipeline.Tests.Stores;

public sealed class InMemoryJobStoreTests : JobStoreContractTests
{
    protected override Task<IJobStore> CreateStoreAsync(FakeTimeProvider time) => Task.FromResult<IJobStore>(new InMemoryBookBytesStore(time));

}

public sealed class InMemoryAudioBookStoreTests : AudioBookStoreContractTests
{
    protected override Task<(IAudioBookStore Books, IJobStore Jobs)> CreateStoresAsync(FakeTimeProvider time)
    {
        var store = new InMemoryBookBytesStore(time);
        return Task.FromResult<(IAudioBookStore, IJobStore)>((store, store));
    }
}
