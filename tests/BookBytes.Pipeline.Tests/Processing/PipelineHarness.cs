using System.Collections.Concurrent;
using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Jobs;
using BookBytes.Llm;
using BookBytes.Packaging;
using BookBytes.Pipeline.Processing;
using BookBytes.Pipeline.Stores;
using BookBytes.Storage;
using BookBytes.Testing.Fakes;
using BookBytes.Tts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BookBytes.Pipeline.Tests.Processing;

/// <summary>One node: the pipeline with provider doubles over a store and storage that several nodes may share.</summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly List<IHostedService> _hosted;
    private bool _stopped;

    public PipelineHarness(
        Action<BookBytesOptions>? configure = null,
        InMemoryBookBytesStore? store = null,
        InMemoryStorageBackend? storage = null,
        FakeBookCatalog? catalog = null,
        TimeProvider? time = null,
        bool providers = true,
        Action<IServiceCollection>? services = null,
        bool packaging = false)
    {
        Time = time ?? TimeProvider.System;
        Store = store ?? new InMemoryBookBytesStore(Time);
        Jobs = new RecordingJobStore(Store);
        Storage = storage ?? new InMemoryStorageBackend();
        Catalog = catalog ?? new FakeBookCatalog();

        var collection = new ServiceCollection();
        Register(collection);
        services?.Invoke(collection);
        Services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Processing = Services.GetRequiredService<ProcessingService>();
        _hosted = [.. Services.GetServices<IHostedService>()];

        void Register(IServiceCollection services)
        {
            services.AddSingleton(Time);
            services.AddBookBytes(o =>
            {
                o.Jobs.PollInterval = TimeSpan.FromMilliseconds(20);
                o.Jobs.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
                o.Jobs.StepRetryDelay = TimeSpan.Zero;
                o.Jobs.PackagingDelay = TimeSpan.Zero;
                o.Jobs.ShutdownTimeout = TimeSpan.FromSeconds(5);
                o.Summary.Words = 60;
                configure?.Invoke(o);
            });
            services.AddSingleton<IJobStore>(Jobs);
            services.AddSingleton<IAudioBookStore>(Store);
            services.AddSingleton<IStorageBackend>(Storage);
            services.AddSingleton<IBookCatalog>(Catalog);
            if (providers)
            {
                services.AddSingleton<ILlmProvider>(Llm);
                services.AddSingleton<ITtsProvider>(Tts);
            }

            if (packaging)
            {
                services.AddSingleton<IAudioPackager>(Packager);
            }
        }
    }

    public TimeProvider Time { get; }

    public InMemoryBookBytesStore Store { get; }

    public RecordingJobStore Jobs { get; }

    public InMemoryStorageBackend Storage { get; }

    public FakeBookCatalog Catalog { get; }

    public FakeLlmProvider Llm { get; } = new();

    public FakeTtsProvider Tts { get; } = new();

    /// <summary>Gets the packager, registered as the node's <see cref="IAudioPackager"/> only when the node was made with <c>packaging: true</c>.</summary>
    public FakeAudioPackager Packager { get; } = new();

    public ServiceProvider Services { get; }

    public ProcessingService Processing { get; }

    public int RunnerCount => _hosted.Count;

    public async Task<PipelineHarness> StartAsync()
    {
        foreach (var service in _hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        return this;
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        foreach (var service in _hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    public async Task<Job> WaitForJobAsync(Guid jobId, Func<Job, bool>? until = null, TimeSpan? timeout = null)
    {
        until ??= j => j.IsTerminal;
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var job = await Store.GetAsync(jobId);
            if (job is not null && until(job))
            {
                return job;
            }

            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"Job {jobId} did not reach the expected state; it is {job?.Status} at {job?.Progress}% ({job?.CurrentStep}, error {job?.ErrorMessage}).");
            }

            await Task.Delay(10);
        }
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Services.DisposeAsync();
    }
}

/// <summary>A job store decorator that records progress reports and refused writes, and can fail the lease calls (claims and heartbeats) on demand.</summary>
internal sealed class RecordingJobStore(IJobStore inner) : IJobStore
{
    public ConcurrentQueue<(Guid JobId, int Progress, string Step)> Progress { get; } = new();

    public ConcurrentQueue<(Guid JobId, string Operation)> Refused { get; } = new();

    /// <summary>When set, claims and heartbeats throw as if the store were unreachable from this node.</summary>
    public volatile bool FailLeaseCalls;

    /// <summary>When set, progress reports throw as if the store had a transient failure.</summary>
    public volatile bool FailProgress;

    public Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default) => inner.EnqueueAsync(job, cancellationToken);

    /// <summary>Gets every job claimed through this store, with its lease.</summary>
    public ConcurrentQueue<ClaimedJob> Claims { get; } = new();

    public async Task<ClaimedJob?> ClaimNextAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        if (FailLeaseCalls)
        {
            throw new IOException("The store is unreachable (test).");
        }

        var claimed = await inner.ClaimNextAsync(workerId, leaseDuration, cancellationToken);
        if (claimed is not null)
        {
            Claims.Enqueue(claimed);
        }

        return claimed;
    }

    public Task<JobLease> HeartbeatAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
        => FailLeaseCalls
            ? throw new IOException("The store is unreachable (test).")
            : Track(lease, "heartbeat", () => inner.HeartbeatAsync(lease, leaseDuration, cancellationToken));

    public Task UpdateProgressAsync(JobLease lease, int progress, string currentStep, UsageTotals? usage = null, CancellationToken cancellationToken = default)
        => Track(lease, "progress", async () =>
        {
            if (FailProgress)
            {
                throw new IOException("The store is unreachable (test).");
            }

            await inner.UpdateProgressAsync(lease, progress, currentStep, usage, cancellationToken);
            Progress.Enqueue((lease.JobId, progress, currentStep));
            return true;
        });

    public Task CompleteAsync(JobLease lease, CancellationToken cancellationToken = default)
        => Track(lease, "complete", async () => { await inner.CompleteAsync(lease, cancellationToken); return true; });

    public Task FailAsync(JobLease lease, JobError failure, CancellationToken cancellationToken = default)
        => Track(lease, "fail", async () => { await inner.FailAsync(lease, failure, cancellationToken); return true; });

    public Task ScheduleRetryAsync(JobLease lease, JobError failure, DateTimeOffset notBefore, CancellationToken cancellationToken = default)
        => Track(lease, "retry", async () => { await inner.ScheduleRetryAsync(lease, failure, notBefore, cancellationToken); return true; });

    public Task ReleaseAsync(JobLease lease, CancellationToken cancellationToken = default)
        => Track(lease, "release", async () => { await inner.ReleaseAsync(lease, cancellationToken); return true; });

    public Task<Job?> GetAsync(Guid jobId, CancellationToken cancellationToken = default) => inner.GetAsync(jobId, cancellationToken);

    public Task<Job?> CancelAsync(Guid jobId, CancellationToken cancellationToken = default) => inner.CancelAsync(jobId, cancellationToken);

    public Task<IReadOnlyList<Job>> ListAsync(JobStatus? status = null, int limit = 100, CancellationToken cancellationToken = default)
        => inner.ListAsync(status, limit, cancellationToken);

    public Task<long> CountAsync(JobStatus? status = null, CancellationToken cancellationToken = default) => inner.CountAsync(status, cancellationToken);

    public Task<JobPage> ListJobsAsync(JobQuery query, CancellationToken cancellationToken = default) => inner.ListJobsAsync(query, cancellationToken);

    public Task<int> DeleteFinishedJobsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
        => inner.DeleteFinishedJobsAsync(before, limit, cancellationToken);

    public IReadOnlyList<int> ProgressOf(Guid jobId) => [.. Progress.Where(p => p.JobId == jobId).Select(p => p.Progress)];

    private async Task<T> Track<T>(JobLease lease, string operation, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (LeaseLostException)
        {
            Refused.Enqueue((lease.JobId, operation));
            throw;
        }
    }
}
