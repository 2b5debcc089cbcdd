using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Pipeline.Jobs;
using BookBytes.Pipeline.Stores;
using BookBytes.Pipeline.Tests.Processing;
using BookBytes.Testing.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BookBytes.Pipeline.Tests.Jobs;

public class JobRunnerTests
{
    [Theory]
    [InlineData(1, 0.0, 8.0)]
    [InlineData(1, 0.5, 10.0)]
    [InlineData(1, 1.0, 12.0)]
    [InlineData(2, 0.5, 20.0)]
    [InlineData(3, 0.5, 40.0)]
    [InlineData(4, 0.0, 48.0)]
    [InlineData(10, 0.5, 60.0)]
    [InlineData(40, 1.0, 72.0)]
    public void Backoff_doubles_per_attempt_with_20_percent_jitter_and_a_cap(int attempt, double random, double expectedSeconds)
    {
        var delay = RetryBackoff.Compute(attempt, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), random);

        delay.TotalSeconds.Should().BeApproximately(expectedSeconds, 1e-6);
    }

    [Fact]
    public async Task A_failing_job_is_retried_on_the_backoff_schedule_read_from_the_time_provider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var node = await new PipelineHarness(o =>
        {
            o.Jobs.MaxAttempts = 3;
            o.Jobs.RetryBaseDelay = TimeSpan.FromSeconds(10);
            o.Jobs.PollInterval = TimeSpan.FromSeconds(1);
            o.Llm.CallRetries = 0; // the job's own retries, on its backoff schedule, are what is measured here
        }, time: time).StartAsync();
        node.Llm.OutlineOverride = _ => throw new ProviderException("The model is overloaded", isTransient: true);
        var isbn = node.Catalog.Add("9780306406157", "Retry Me");
        var started = await node.Processing.StartProcessingAsync(isbn);

        var schedule = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var failedAt = time.GetUtcNow();
            var pending = await node.WaitForJobAsync(started.Job.Id, j => j.Status == JobStatus.Pending && j.Attempt == attempt);
            schedule.Add(pending.NotBefore - failedAt);
            time.Advance(pending.NotBefore - time.GetUtcNow() + TimeSpan.FromSeconds(1));
        }

        var failed = await node.WaitForJobAsync(started.Job.Id);

        schedule[0].TotalSeconds.Should().BeInRange(8, 12);
        schedule[1].TotalSeconds.Should().BeInRange(16, 24);
        failed.Status.Should().Be(JobStatus.Failed);
        failed.Attempt.Should().Be(3);
        failed.ErrorCode.Should().Be(ErrorCodes.ProviderFailed);
        node.Llm.OutlineCalls.Should().Be(3, "with no call retries, a transient provider failure is retried by the job, not again within the attempt");
        (await node.Processing.GetAudioBookAsync(started.AudioBook.Id))!.AudioBook.Status.Should().Be(AudioBookStatus.Failed);
    }

    [Fact]
    public async Task Shutdown_lets_in_flight_chapters_finish_then_releases_the_job_and_a_new_runner_resumes_without_redoing_them()
    {
        var store = new InMemoryBookBytesStore();
        var storage = new InMemoryStorageBackend();
        var catalog = new FakeBookCatalog();
        var isbn = catalog.Add("9780306406157", "Stop and Go");
        var first = await new PipelineHarness(o => o.Tts.MaxConcurrency = 1, store, storage, catalog).StartAsync();
        var inFlight = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        first.Tts.Behavior = async (_, call, ct) =>
        {
            if (call == 1)
            {
                inFlight.SetResult();
                await release.Task.WaitAsync(ct);
            }
        };
        var started = await first.Processing.StartProcessingAsync(isbn);
        await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var stopping = first.StopAsync();
        release.SetResult();
        await stopping;
        var released = await store.GetAsync(started.Job.Id);
        var afterStop = await store.GetChaptersAsync(started.AudioBook.Id, 1);

        released!.Status.Should().Be(JobStatus.Pending);
        released.Attempt.Should().Be(0, "a released attempt is not counted");
        afterStop.Count(c => c.Status == ChapterStatus.Completed).Should().Be(1, "the in-flight chapter reached its checkpoint");
        first.Tts.Calls.Should().Be(1, "no new chapter started after shutdown began");
        var storedBefore = afterStop.Where(c => c.Status == ChapterStatus.Completed).Select(c => c.Number).ToList();
        var summarizedBefore = afterStop.Where(c => c.Summary is not null).Select(c => c.Number).ToList();

        await using var second = await new PipelineHarness(store: store, storage: storage, catalog: catalog).StartAsync();
        var job = await second.WaitForJobAsync(started.Job.Id);

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        job.Attempt.Should().Be(1);
        foreach (var number in storedBefore)
        {
            second.Tts.CallsContaining(FakeLlmProvider.Marker(number)).Should().Be(0, "stored audio is never synthesized again");
        }

        foreach (var number in summarizedBefore)
        {
            second.Llm.SummaryCalls.ContainsKey(number).Should().BeFalse("a stored summary is never asked for again");
        }

        second.Llm.OutlineCalls.Should().Be(0);
        (await store.GetChaptersAsync(started.AudioBook.Id, 1)).Should().OnlyContain(c => c.Status == ChapterStatus.Completed);
        await first.DisposeAsync();
    }

    [Fact]
    public async Task Shutdown_releases_a_job_whose_calls_outlast_the_grace_period()
    {
        await using var node = await new PipelineHarness(o => o.Jobs.ShutdownTimeout = TimeSpan.FromMilliseconds(100)).StartAsync();
        var inFlight = new TaskCompletionSource();
        node.Tts.Behavior = async (_, _, ct) =>
        {
            inFlight.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        };
        var isbn = node.Catalog.Add("9780306406157", "Slow Speech");
        var started = await node.Processing.StartProcessingAsync(isbn);
        await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await node.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));

        var job = await node.Store.GetAsync(started.Job.Id);
        job!.Status.Should().Be(JobStatus.Pending);
        job.LeaseOwner.Should().BeNull();
        (await node.Store.GetChaptersAsync(started.AudioBook.Id, 1)).Should().NotContain(c => c.Status == ChapterStatus.Failed, "shutdown is not a failure");
    }

    [Fact]
    public async Task A_worker_that_lost_its_lease_is_refused_and_the_runner_that_reclaimed_the_job_finishes_it()
    {
        var store = new InMemoryBookBytesStore();
        var storage = new InMemoryStorageBackend();
        var catalog = new FakeBookCatalog();
        var isbn = catalog.Add("9780306406157", "Two Owners");
        static void Fast(BookBytesOptions o)
        {
            o.Jobs.LeaseDuration = TimeSpan.FromSeconds(1);
            o.Jobs.PollInterval = TimeSpan.FromMilliseconds(20);
        }

        // One worker on the stale node: it is busy with the job, so only the fresh node can reclaim it.
        await using var stale = await new PipelineHarness(o => { Fast(o); o.Jobs.MaxConcurrentJobs = 1; }, store, storage, catalog).StartAsync();
        var staleInFlight = new TaskCompletionSource();
        var staleCancelled = new TaskCompletionSource();
        stale.Tts.Behavior = async (_, _, ct) =>
        {
            staleInFlight.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                staleCancelled.TrySetResult();
                throw;
            }
        };
        var started = await stale.Processing.StartProcessingAsync(isbn);
        await staleInFlight.Task.WaitAsync(TimeSpan.FromSeconds(30));
        stale.Jobs.FailLeaseCalls = true;

        // Its heartbeats fail, so once its lease runs out the stale worker stops on its own, before writing anything.
        // Its claims fail too, so the stale node cannot take the expired job back before the fresh node does.
        await staleCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var savesBeforeFresh = storage.ChapterSaves;
        // The fresh node polls fast but keeps the default lease, so its idle workers cannot take the job back from a busy one.
        await using var fresh = await new PipelineHarness(o => o.Jobs.PollInterval = TimeSpan.FromMilliseconds(20), store, storage, catalog).StartAsync();
        var job = await fresh.WaitForJobAsync(started.Job.Id);
        stale.Jobs.FailLeaseCalls = false;
        await stale.StopAsync();

        job.Status.Should().Be(JobStatus.Completed, job.ErrorMessage);
        job.Attempt.Should().Be(1, "taking the job back from a worker that lost it is a rescue, not an attempt");
        job.Rescues.Should().Be(1);
        savesBeforeFresh.Should().Be(0, "the stale worker stored no audio after its lease ran out");
        storage.ChapterSaves.Should().Be(3, "the fresh worker stored each chapter once");
        var staleLease = stale.Jobs.Claims.Single(c => c.Job.Id == started.Job.Id).Lease;
        await FluentActions.Awaiting(() => store.UpdateProgressAsync(staleLease, 10, "x")).Should().ThrowAsync<LeaseLostException>("the stale worker's own lease is refused");
        await FluentActions.Awaiting(() => store.CompleteAsync(staleLease)).Should().ThrowAsync<LeaseLostException>();
        (await store.GetAsync(started.Job.Id))!.Status.Should().Be(JobStatus.Completed, "the stale worker overwrote nothing");
        (await store.GetAudioBookAsync(started.AudioBook.Id))!.Status.Should().Be(AudioBookStatus.Completed);
        (await store.GetChaptersAsync(started.AudioBook.Id, 1)).Should().OnlyContain(c => c.Status == ChapterStatus.Completed);
    }

    [Fact]
    public void Bad_settings_fail_at_start_naming_the_key()
    {
        var services = new ServiceCollection();
        services.AddBookBytes(o =>
        {
            o.Jobs.MaxConcurrentJobs = 0;
            o.Tts.ChunkCharacters = 5;
        });
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<BookBytesOptions>>().Value;

        act.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.StartsWith("BookBytes:Jobs:MaxConcurrentJobs", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("BookBytes:Tts:ChunkCharacters", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_bind_from_the_BookBytes_section_with_the_documented_defaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BookBytes:Jobs:MaxConcurrentJobs"] = "7",
            ["BookBytes:Jobs:LeaseDuration"] = "00:05:00",
            ["BookBytes:Tts:ChunkCharacters"] = "900",
            ["BookBytes:Summary:Words"] = "300",
        }).Build();
        var services = new ServiceCollection();
        services.AddBookBytes(configuration);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<BookBytesOptions>>().Value;

        options.Jobs.MaxConcurrentJobs.Should().Be(7);
        options.Jobs.LeaseDuration.Should().Be(TimeSpan.FromMinutes(5));
        options.Tts.ChunkCharacters.Should().Be(900);
        options.Summary.Words.Should().Be(300);
        options.Jobs.MaxAttempts.Should().Be(3);
        options.Jobs.PollInterval.Should().Be(TimeSpan.FromSeconds(1));
        options.Jobs.ShutdownTimeout.Should().Be(TimeSpan.FromSeconds(30));
        options.Llm.MaxConcurrency.Should().Be(4);
        options.Tts.MaxConcurrency.Should().Be(8);
        options.Llm.RequestsPerMinute.Should().Be(0);
        options.Llm.MaxAnswerTries.Should().Be(3);
        options.Worker.Enabled.Should().BeTrue();
    }

    [Fact]
    public void A_disabled_worker_registers_no_runner()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["BookBytes:Worker:Enabled"] = "false" }).Build();
        var fromConfiguration = new ServiceCollection();
        fromConfiguration.AddBookBytes(configuration);
        var fromCode = new ServiceCollection();
        fromCode.AddBookBytes(o => o.Worker.Enabled = false);
        var enabled = new ServiceCollection();
        enabled.AddBookBytes();

        fromConfiguration.Should().NotContain(d => d.ServiceType == typeof(IHostedService));
        fromCode.Should().NotContain(d => d.ServiceType == typeof(IHostedService));
        enabled.Should().ContainSingle(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(JobRunner));
    }

    [Fact]
    public async Task A_worker_disabled_after_registration_does_not_run()
    {
        var services = new ServiceCollection();
        services.AddBookBytes();
        services.Configure<BookBytesOptions>(o => o.Worker.Enabled = false);
        await using var provider = services.BuildServiceProvider();
        var runner = provider.GetServices<IHostedService>().OfType<JobRunner>().Single();

        await runner.StartAsync(CancellationToken.None);
        var returned = () => runner.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));

        await returned.Should().NotThrowAsync("the runner returns at once instead of running workers until stopped");
        await runner.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void Adding_BookBytes_twice_still_runs_one_runner()
    {
        var services = new ServiceCollection();
        services.AddBookBytes();

        services.AddBookBytes(o => o.Summary.Words = 300);

        services.Should().ContainSingle(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(JobRunner));
    }
}

public class JobNotificationTests
{
    private sealed class ChannelNotifications : IJobNotificationSource
    {
        public System.Threading.Channels.Channel<Guid> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<Guid>();

        public IAsyncEnumerable<Guid> ListenForJobsAsync(CancellationToken cancellationToken = default) => Channel.Reader.ReadAllAsync(cancellationToken);
    }

    [Fact]
    public async Task A_job_enqueued_by_another_node_wakes_an_idle_worker_through_the_store_notifications()
    {
        var notifications = new ChannelNotifications();
        await using var node = await new PipelineHarness(
            o =>
            {
                o.Jobs.PollInterval = TimeSpan.FromMinutes(10);
                o.Jobs.LeaseDuration = TimeSpan.FromMinutes(30);
            },
            services: s => s.AddSingleton<IJobNotificationSource>(notifications)).StartAsync();
        var isbn = node.Catalog.Add("9780306406157", "Woken Up");
        var edition = await node.Processing.LookupAsync(isbn);
        await Task.Delay(100);
        var now = DateTimeOffset.UtcNow;
        var book = new AudioBook { Id = Guid.CreateVersion7(), EditionId = edition.Id, Status = AudioBookStatus.Pending, Voice = "alloy", CreatedAt = now, UpdatedAt = now };
        await node.Store.CreateAudioBookAsync(book);

        // Enqueued straight into the shared store, as another node would: no local wake-up, and the poll is 10 minutes away.
        var job = await node.Store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, $$"""{"audioBookId":"{{book.Id}}"}"""));
        await notifications.Channel.Writer.WriteAsync(job.Id);

        var done = await node.WaitForJobAsync(job.Id, timeout: TimeSpan.FromSeconds(30));
        done.Status.Should().Be(JobStatus.Completed, done.ErrorMessage);
    }
}
