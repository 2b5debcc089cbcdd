using BookBytes.Jobs;
using BookBytes.Pipeline.Jobs;
using BookBytes.Pipeline.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BookBytes.Pipeline.Tests.Jobs;

/// <summary>The retention sweep: finished jobs older than <c>Jobs:Retention</c> go, at start and every <c>Jobs:RetentionSweepInterval</c>.</summary>
public sealed class JobRetentionSweeperTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public async Task The_sweep_deletes_jobs_finished_longer_ago_than_the_retention_at_start_and_again_each_interval()
    {
        var store = new InMemoryBookBytesStore(_time);
        var old = await CompleteOneAsync(store);
        _time.Advance(TimeSpan.FromDays(31));
        var young = await CompleteOneAsync(store);
        var waiting = await store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}", NotBefore: _time.GetUtcNow().AddDays(365)));
        using var sweeper = new JobRetentionSweeper(store, _time, Options.Create(new BookBytesOptions()));

        await sweeper.StartAsync(CancellationToken.None);
        await EventuallyAsync(async () => await store.GetAsync(old) is null, "the old job to be swept at start");
        (await store.GetAsync(young)).Should().NotBeNull("it finished a day ago, within the 30 days kept");
        _time.Advance(TimeSpan.FromDays(30) + TimeSpan.FromHours(1));
        await EventuallyAsync(async () => await store.GetAsync(young) is null, "the next sweep, an interval later, to take the job now older than 30 days");
        await sweeper.StopAsync(CancellationToken.None);

        (await store.GetAsync(waiting.Id))!.Status.Should().Be(JobStatus.Pending, "unfinished jobs are never swept, however old");
    }

    [Fact]
    public async Task One_sweep_deletes_a_backlog_larger_than_a_batch()
    {
        var store = new InMemoryBookBytesStore(_time);
        var count = JobRetentionSweeper.BatchSize * 2 + 7;
        for (var i = 0; i < count; i++)
        {
            await CompleteOneAsync(store);
        }

        _time.Advance(TimeSpan.FromDays(31));
        using var sweeper = new JobRetentionSweeper(store, _time, Options.Create(new BookBytesOptions()));

        var deleted = await sweeper.SweepAsync(CancellationToken.None);

        deleted.Should().Be(count);
        (await store.CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_retention_of_zero_keeps_every_job()
    {
        var store = new InMemoryBookBytesStore(_time);
        var old = await CompleteOneAsync(store);
        _time.Advance(TimeSpan.FromDays(3650));
        var options = new BookBytesOptions();
        options.Jobs.Retention = TimeSpan.Zero;
        using var sweeper = new JobRetentionSweeper(store, _time, Options.Create(options));

        await sweeper.StartAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(2));
        await (sweeper.ExecuteTask ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10));
        await sweeper.StopAsync(CancellationToken.None);

        (await store.GetAsync(old)).Should().NotBeNull();
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public void AddBookBytes_registers_the_sweep_on_worker_nodes_only(bool worker, int expected)
    {
        var services = new ServiceCollection();

        services.AddBookBytes(o => o.Worker.Enabled = worker);

        services.Count(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(JobRetentionSweeper)).Should().Be(expected);
    }

    private async Task<Guid> CompleteOneAsync(InMemoryBookBytesStore store)
    {
        var job = await store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));
        var claimed = await store.ClaimNextAsync("w1", TimeSpan.FromMinutes(1));
        claimed!.Job.Id.Should().Be(job.Id);
        await store.CompleteAsync(claimed.Lease);
        return job.Id;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"the test waited for {what}");
            await Task.Delay(20);
        }
    }
}
