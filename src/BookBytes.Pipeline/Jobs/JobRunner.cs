using System.Diagnostics;
using System.Globalization;
using BookBytes.Jobs;
using BookBytes.Pipeline.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BookBytes.Pipeline.Jobs;

/// <summary>
/// The hosted service that runs jobs: <c>MaxConcurrentJobs</c> workers claim due jobs from the
/// <see cref="IJobStore"/>, woken at once by jobs enqueued on this node and polling every
/// <c>PollInterval</c> for the rest (other nodes' jobs, retries coming due, expired leases).
/// </summary>
/// <remarks>
/// While a job runs its lease is renewed every third of <c>LeaseDuration</c>; if the lease is lost the
/// job's work is cancelled and nothing more is written. At shutdown workers stop claiming, running
/// jobs get <c>ShutdownTimeout</c> to reach a checkpoint, and unfinished jobs are released to pending
/// (their attempt not counted), never failed.
/// </remarks>
public sealed partial class JobRunner : BackgroundService
{
    private readonly IJobStore _store;
    private readonly IJobProcessor _processor;
    private readonly JobWakeUp _wakeUp;
    private readonly BookBytesMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly JobsOptions _options;
    private readonly bool _enabled;
    private readonly ILogger _logger;
    private readonly string _nodeId;
    private readonly IJobNotificationSource? _notifications;

    internal JobRunner(
        IJobStore store,
        IJobProcessor processor,
        JobWakeUp wakeUp,
        BookBytesMetrics metrics,
        TimeProvider timeProvider,
        IOptions<BookBytesOptions> options,
        ILoggerFactory? loggerFactory = null,
        IJobNotificationSource? notifications = null)
    {
        _store = store;
        _notifications = notifications ?? store as IJobNotificationSource;
        _processor = processor;
        _wakeUp = wakeUp;
        _metrics = metrics;
        _time = timeProvider;
        _options = options.Value.Jobs;
        _enabled = options.Value.Worker.Enabled;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<JobRunner>();
        _nodeId = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
    }

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_enabled)
        {
            // Worker:Enabled was turned off after registration (for example with Configure<BookBytesOptions>).
            LogDisabled(_logger);
            return Task.CompletedTask;
        }

        LogStarted(_logger, _nodeId, _options.MaxConcurrentJobs);
        var workers = new List<Task>(_options.MaxConcurrentJobs + 1);
        for (var i = 0; i < _options.MaxConcurrentJobs; i++)
        {
            var workerId = string.Create(CultureInfo.InvariantCulture, $"{_nodeId}/{i}");
            workers.Add(Task.Run(() => WorkAsync(workerId, stoppingToken), CancellationToken.None));
        }

        if (_notifications is not null)
        {
            workers.Add(Task.Run(() => ListenAsync(_notifications, stoppingToken), CancellationToken.None));
        }

        return Task.WhenAll(workers);
    }

    /// <summary>
    /// Stops claiming and waits until running jobs have reached a checkpoint (at most
    /// <c>ShutdownTimeout</c>) and been released. The host's token is not what bounds the wait: a job
    /// cut off before its release is written would stay leased until its lease expires and lose an
    /// attempt, so set <c>HostOptions.ShutdownTimeout</c> above <c>BookBytes:Jobs:ShutdownTimeout</c>.
    /// </summary>
    /// <param name="cancellationToken">The host's shutdown token; its expiry is logged, not obeyed.</param>
    /// <returns>A task that completes when every worker has stopped.</returns>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        using var overdue = cancellationToken.Register(() => LogHostTimeoutShorter(_logger, _options.ShutdownTimeout));
        await base.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task ListenAsync(IJobNotificationSource source, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await foreach (var jobId in source.ListenForJobsAsync(stopping).ConfigureAwait(false))
                {
                    _wakeUp.Signal(jobId);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Polling still finds every job; listening only makes it sooner. Try again later.
                LogListenFailed(_logger, ex);
            }

            try
            {
                await Task.Delay(_options.PollInterval * 5, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WorkAsync(string workerId, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            ClaimedJob? claimed;
            try
            {
                claimed = await _store.ClaimNextAsync(workerId, _options.LeaseDuration, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogClaimFailed(_logger, ex, workerId);
                claimed = null;
            }

            if (claimed is null)
            {
                try
                {
                    await _wakeUp.WaitAsync(_options.PollInterval, _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    break;
                }

                continue;
            }

            await RunAsync(claimed, stopping).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(ClaimedJob claimed, CancellationToken stopping)
    {
        var (job, lease) = claimed;
        using var scope = JobScope(_logger, job.Id, job.Type, job.Attempt);
        using var activity = BookBytesDiagnostics.ActivitySource.StartActivity("job");
        activity?.SetTag("bookbytes.job.id", job.Id);
        activity?.SetTag("bookbytes.job.type", job.Type.ToString());
        activity?.SetTag("bookbytes.job.attempt", job.Attempt);
        _metrics.JobStarted(job.Type);
        LogJobStarted(_logger, job.Id, job.Type, job.Attempt, job.MaxAttempts);

        using var work = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var onStop = stopping.Register(() => work.CancelAfter(_options.ShutdownTimeout));
        var leaseLost = false;
        var keeper = new LeaseKeeper(
            _store,
            _time,
            lease,
            _options.LeaseDuration,
            () =>
            {
                leaseLost = true;
                LogLeaseLost(_logger, job.Id);
                work.Cancel();
            },
            (ex, id) => LogHeartbeatFailed(_logger, ex, id));

        var execution = new JobExecution(job, lease, stopping);
        Exception? failure = null;
        try
        {
            if (job.Attempt > job.MaxAttempts)
            {
                // Reclaimed after its worker died once too often: the job itself may be what kills workers.
                throw new BookBytesException(
                    string.Create(CultureInfo.InvariantCulture, $"The job was abandoned by its worker on each of its {job.MaxAttempts} attempts."),
                    ErrorCodes.Internal);
            }

            await _processor.ProcessAsync(execution, work.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            await keeper.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await RecordOutcomeAsync(execution, failure, leaseLost, stopping).ConfigureAwait(false);
        }
        catch (LeaseLostException)
        {
            LogLeaseLost(_logger, job.Id);
        }
        catch (Exception ex)
        {
            // The lease will expire and another worker will reclaim the job.
            LogRecordFailed(_logger, ex, job.Id);
        }

        activity?.SetStatus(failure is null ? ActivityStatusCode.Ok : ActivityStatusCode.Error, failure?.Message);
    }

    private async Task RecordOutcomeAsync(JobExecution execution, Exception? failure, bool leaseLost, CancellationToken stopping)
    {
        var (job, lease, _) = execution;

        // Writes here must not be cancelled by shutdown: releasing the job is part of shutting down.
        var ct = CancellationToken.None;
        if (leaseLost || failure is LeaseLostException)
        {
            LogLeaseLost(_logger, job.Id);
            return;
        }

        if (failure is null)
        {
            await _store.CompleteAsync(lease, ct).ConfigureAwait(false);
            _metrics.JobCompleted(job.Type);
            LogJobCompleted(_logger, job.Id);
            return;
        }

        if (failure is OperationCanceledException && stopping.IsCancellationRequested)
        {
            await _store.ReleaseAsync(lease, ct).ConfigureAwait(false);
            _metrics.JobReleased(job.Type);
            LogJobReleased(_logger, job.Id);
            return;
        }

        var error = failure is BookBytesException known
            ? new JobError(known.ErrorCode, known.Message)
            : new JobError(ErrorCodes.Internal, failure.Message);
        var transient = failure is not BookBytesException { IsTransient: false };
        var willRetry = transient && job.Attempt < job.MaxAttempts;

        try
        {
            await _processor.OnFailedAsync(execution, error, willRetry, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not LeaseLostException)
        {
            LogRecordFailed(_logger, ex, job.Id);
        }

        if (willRetry)
        {
            var delay = RetryBackoff.Compute(job.Attempt, _options.RetryBaseDelay, _options.MaxRetryDelay, Random.Shared.NextDouble());
            await _store.ScheduleRetryAsync(lease, error, _time.GetUtcNow() + delay, ct).ConfigureAwait(false);
            _metrics.JobRetried(job.Type);
            LogJobRetry(_logger, failure, job.Id, job.Attempt, job.MaxAttempts, delay);
        }
        else
        {
            await _store.FailAsync(lease, error, ct).ConfigureAwait(false);
            _metrics.JobFailed(job.Type);
            LogJobFailed(_logger, failure, job.Id, error.Code);
        }
    }

    private static readonly Func<ILogger, Guid, JobKind, int, IDisposable?> JobScope =
        LoggerMessage.DefineScope<Guid, JobKind, int>("Job {JobId} ({JobType}), attempt {Attempt}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Job runner not started: BookBytes:Worker:Enabled is false")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job runner {NodeId} started with {Workers} workers")]
    private static partial void LogStarted(ILogger logger, string nodeId, int workers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} could not claim a job; it will poll again")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception, string workerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({JobType}) started, attempt {Attempt} of {MaxAttempts}")]
    private static partial void LogJobStarted(ILogger logger, Guid jobId, JobKind jobType, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} completed")]
    private static partial void LogJobCompleted(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} released to pending at shutdown")]
    private static partial void LogJobReleased(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} of {MaxAttempts} failed; retrying in {Delay}")]
    private static partial void LogJobRetry(ILogger logger, Exception exception, Guid jobId, int attempt, int maxAttempts, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed for good with {ErrorCode}")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, Guid jobId, string errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: lease lost; another worker owns the job now, this one stops")]
    private static partial void LogLeaseLost(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for job notifications failed; polling continues and listening resumes shortly")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The host's shutdown timeout ran out first; the runner still lets running jobs reach a checkpoint (up to {ShutdownTimeout}) and releases them. Set HostOptions.ShutdownTimeout above BookBytes:Jobs:ShutdownTimeout")]
    private static partial void LogHostTimeoutShorter(ILogger logger, TimeSpan shutdownTimeout);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: the outcome could not be recorded; the lease will expire and the job will be reclaimed")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, Guid jobId);
}
