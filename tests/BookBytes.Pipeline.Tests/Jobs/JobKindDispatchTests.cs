using System.Collections.Concurrent;
using BookBytes.AudioBooks;
using BookBytes.DependencyInjection;
using BookBytes.Jobs;
using BookBytes.Pipeline.Jobs;
using BookBytes.Pipeline.Tests.Processing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BookBytes.Pipeline.Tests.Jobs;

public class JobKindDispatchTests
{
    private static readonly JobKind Packaging = new("Packaging");

    [Fact]
    public async Task A_job_of_a_kind_without_a_handler_fails_clearly_and_the_runner_goes_on()
    {
        await using var node = await new PipelineHarness().StartAsync();
        var isbn = node.Catalog.Add("9780306406157", "Still Runs");

        var unknown = await node.Processing.EnqueueJobAsync(new NewJob(new JobKind("Nobody.Handles-This"), "{}"));
        var book = await node.Processing.StartProcessingAsync(isbn);

        var failed = await node.WaitForJobAsync(unknown.Id);
        failed.Status.Should().Be(JobStatus.Failed);
        failed.Attempt.Should().Be(1, "another attempt would find no handler either");
        failed.ErrorCode.Should().Be(ErrorCodes.JobKindUnknown);
        failed.ErrorMessage.Should().Contain("'Nobody.Handles-This'");
        (await node.WaitForJobAsync(book.Job.Id)).Status.Should().Be(JobStatus.Completed);
    }

    [Fact]
    public async Task Two_kinds_run_side_by_side_each_by_its_own_handler()
    {
        var packaging = new RecordingHandler(Packaging);
        await using var node = await new PipelineHarness(services: s => s.AddSingleton<IJobHandler>(packaging)).StartAsync();
        var isbn = node.Catalog.Add("9780306406157", "Side by Side");

        var book = await node.Processing.StartProcessingAsync(isbn);
        var package = await node.Processing.EnqueueJobAsync(new NewJob(Packaging, "{\"book\":1}"));

        (await node.WaitForJobAsync(package.Id)).Status.Should().Be(JobStatus.Completed);
        (await node.WaitForJobAsync(book.Job.Id)).Status.Should().Be(JobStatus.Completed);
        packaging.Handled.Should().Equal(package.Id);
        (await node.Processing.GetAudioBookAsync(book.AudioBook.Id))!.AudioBook.Status.Should().Be(AudioBookStatus.Completed);
    }

    [Fact]
    public async Task For_one_kind_the_last_handler_registered_wins()
    {
        var first = new RecordingHandler(Packaging);
        var last = new RecordingHandler(Packaging);
        await using var node = await new PipelineHarness(services: s =>
        {
            var builder = new Builder(s);
            builder.AddJobHandler(first).AddJobHandler(last);
        }).StartAsync();

        var job = await node.Processing.EnqueueJobAsync(new NewJob(Packaging, "{}"));

        (await node.WaitForJobAsync(job.Id)).Status.Should().Be(JobStatus.Completed);
        last.Handled.Should().Equal(job.Id);
        first.Handled.Should().BeEmpty();
    }

    [Fact]
    public async Task A_handlers_result_is_what_the_runner_records()
    {
        var handler = new RecordingHandler(Packaging, execution => execution.Job.Attempt == 1
            ? JobResult.Retry(new JobError("PACKAGE_BUSY", "Try later."))
            : JobResult.Failed(new JobError("PACKAGE_BROKEN", "It will not work.")));
        await using var node = await new PipelineHarness(services: s => s.AddSingleton<IJobHandler>(handler)).StartAsync();

        var job = await node.Processing.EnqueueJobAsync(new NewJob(Packaging, "{}", MaxAttempts: 5));

        var failed = await node.WaitForJobAsync(job.Id);
        failed.Status.Should().Be(JobStatus.Failed);
        failed.Attempt.Should().Be(2, "the first attempt asked for a retry, the second failed for good");
        failed.ErrorCode.Should().Be("PACKAGE_BROKEN");
    }

    [Fact]
    public async Task A_handler_that_throws_is_retried_while_transient_and_failed_when_not()
    {
        var handler = new RecordingHandler(Packaging, execution => execution.Job.Attempt == 1
            ? throw new TimeoutException("A glitch.")
            : throw new BookBytesException("Bad input.", "PACKAGE_INVALID"));
        await using var node = await new PipelineHarness(services: s => s.AddSingleton<IJobHandler>(handler)).StartAsync();

        var job = await node.Processing.EnqueueJobAsync(new NewJob(Packaging, "{}", MaxAttempts: 5));

        var failed = await node.WaitForJobAsync(job.Id);
        failed.Attempt.Should().Be(2);
        failed.ErrorCode.Should().Be("PACKAGE_INVALID");
    }

    [Fact]
    public async Task A_worker_without_the_providers_audiobook_jobs_need_runs_no_jobs()
    {
        await using var node = new PipelineHarness(providers: false);
        var runner = node.Services.GetServices<IHostedService>().OfType<JobRunner>().Single();
        await node.StartAsync();

        await runner.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));

        runner.ExecuteTask.IsCompletedSuccessfully.Should().BeTrue("the runner started no workers: it would fail every audiobook job it claimed");
        var job = await node.Processing.EnqueueJobAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));
        (await node.Store.GetAsync(job.Id))!.Status.Should().Be(JobStatus.Pending);
    }

    [Fact]
    public async Task Handlers_for_every_kind_a_worker_runs_make_the_audiobook_providers_unnecessary()
    {
        var handler = new RecordingHandler(JobKind.AudiobookGeneration, JobKind.AudiobookRefresh, Packaging);
        await using var node = await new PipelineHarness(providers: false, services: s => s.AddSingleton<IJobHandler>(handler)).StartAsync();

        var job = await node.Processing.EnqueueJobAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));

        (await node.WaitForJobAsync(job.Id)).Status.Should().Be(JobStatus.Completed);
        handler.Handled.Should().Equal(job.Id);
    }

    private sealed class Builder(IServiceCollection services) : IBookBytesBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class RecordingHandler(params JobKind[] kinds) : IJobHandler
    {
        private readonly Func<JobExecution, JobResult>? _result;

        public RecordingHandler(JobKind kind, Func<JobExecution, JobResult> result)
            : this(kind)
        {
            _result = result;
        }

        public ConcurrentQueue<Guid> HandledQueue { get; } = new();

        public IReadOnlyList<Guid> Handled => [.. HandledQueue.Distinct()];

        public IReadOnlyCollection<JobKind> Kinds { get; } = kinds;

        public Task<JobResult> HandleAsync(JobExecution execution, CancellationToken cancellationToken)
        {
            HandledQueue.Enqueue(execution.Job.Id);
            return Task.FromResult(_result?.Invoke(execution) ?? JobResult.Completed);
        }
    }
}
