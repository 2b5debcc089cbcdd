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
/// The hosted service that runs jobs, each by the <see cref="IJobHandler"/> registered for its kind: <c>MaxConcurrentJobs</c> workers claim due jobs from the
/// <see cref="IJobStore"/>, woken at once by jobs enqueued on this node and polling every
/// <c>PollInterval</c> for the rest (other nodes' jobs, retries coming due, expired leases).
/// </summary>
/// <remarks>
/// While a job runs its lease is renewed every third of <c>LeaseDuration</c>; if the lease is lost the
/// job's work is cancelled and nothing more is written. At shutdown workers stop claiming, running
/// jobs get <c>ShutdownTimeout</c> to reach a checkpoint, and unfinished jobs are released to pending
/// (their attempt not counted), never failed. The runner only moves job state: the handler decides each
/// attempt's outcome and records its own.
/// </remarks>
internal sealed partial class JobRunner : BackgroundService
{
    private readonly IJobStore _store;
    private readonly Dictionary<JobKind, IJobHandler> _handlers = [];
    private readonly JobWakeUp _wakeUp;
    private readonly BookBytesMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly JobsOptions _options;
    private readonly bool _enabled;
    private readonly ILogger _logger;
    private readonly string _nodeId;
    private readonly IJobNotificationSource? _notifications;

    public JobRunner(
        IJobStore store,
        IEnumerable<IJobHandler> handlers,
        JobWakeUp wakeUp,
        BookBytesMetrics metrics,
        TimeProvider timeProvider,
        IOptions<BookBytesOptions> options,
        ILoggerFactory? loggerFactory = null,
        IJobNotificationSource? notifications = null)
    {
        _store = store;
        _notifications = notifications ?? store as IJobNotificationSource;
        foreach (var handler in handlers)
        {
            foreach (var kind in handler.Kinds)
            {
                // One handler per kind: the last registration wins, as for every single-slot service.
                _handlers[kind] = handler;
            }
        }

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

        var missing = _handlers.Values.Distinct().OfType<IRequiresServices>().SelectMany(h => h.MissingServices).Distinct().ToList();
        if (missing.Count > 0)
        {
            // Running would fail every job claimed here, other nodes' too: this node serves the API only.
            LogMissingServices(_logger, string.Join(", ", missing));
            return Task.CompletedTask;
        }

        var kinds = string.Join(", ", _handlers.Keys.Order(KindOrder.Instance));
        LogStarted(_logger, _nodeId, _options.MaxConcurrentJobs, kinds);
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
        LogJobStarted(_logger, job.Id, job.Type, job.Attempt, job.MaxAttempts, job.Rescues);

        using var work = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var onStop = stopping.Register(() => work.CancelAfter(_options.ShutdownTimeout));
        var leaseLost = false;
        var cancelled = false;
        var keeper = new LeaseKeeper(
            _store,
            _time,
            lease,
            _options.LeaseDuration,
            _options.CancelCheckInterval,
            wasCancelled =>
            {
                leaseLost = true;
                if (wasCancelled)
                {
                    cancelled = true;
                    _metrics.JobCancelled(job.Type);
                    LogJobCancelled(_logger, job.Id);
                }
                else
                {
                    LogLeaseLost(_logger, job.Id);
                }

                work.Cancel();
            },
            (ex, id) => LogHeartbeatFailed(_logger, ex, id));

        var execution = new JobExecution(job, lease, stopping)
        {
            Abandoned = job.Rescues > _options.MaxRescues
                ? new JobError(ErrorCodes.JobAbandoned, string.Create(CultureInfo.InvariantCulture, $"The job's worker died while running it {job.Rescues} times (at most {_options.MaxRescues} are rescued); the job itself may be what kills workers."))
                : null,
        };
        JobResult? result = null;
        Exception? failure = null;
        try
        {
            result = await HandleAsync(execution, work.Token).ConfigureAwait(false);
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
            // A write refused before the keeper's next read may be the first sign of a cancel: the store says which it was.
            if (!cancelled && (leaseLost || failure is LeaseLostException) && await WasCancelledAsync(job.Id).ConfigureAwait(false))
            {
                cancelled = true;
                _metrics.JobCancelled(job.Type);
                LogJobCancelled(_logger, job.Id);
            }

            // A cancelled job is already ended in the store: there is nothing to record, and nothing was lost to another worker.
            if (!cancelled)
            {
                await RecordOutcomeAsync(execution, result ?? ResultOf(failure!), failure, leaseLost, stopping).ConfigureAwait(false);
            }
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

        activity?.SetStatus(failure is null && result?.Outcome == JobOutcome.Completed ? ActivityStatusCode.Ok : ActivityStatusCode.Error, failure?.Message ?? result?.Error?.Message);
    }

    private async Task<bool> WasCancelledAsync(Guid jobId)
    {
        try
        {
            return await _store.GetAsync(jobId, CancellationToken.None).ConfigureAwait(false) is { Status: JobStatus.Cancelled };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogHeartbeatFailed(_logger, ex, jobId);
            return false;
        }
    }

    private async Task<JobResult> HandleAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        var job = execution.Job;
        if (!_handlers.TryGetValue(job.Type, out var handler))
        {
            return JobResult.Failed(new JobError(
                ErrorCodes.JobKindUnknown,
                $"No handler for jobs of kind '{job.Type}' is registered on this node; register one with AddJobHandler."));
        }

        var result = await handler.HandleAsync(execution, cancellationToken).ConfigureAwait(false);

        // Reclaimed after its worker died once too often: the handler records it; the job fails whatever it answered.
        return execution.Abandoned is { } abandoned ? JobResult.Failed(abandoned) : result;
    }

    /// <summary>The outcome of a handler that threw instead of returning one.</summary>
    private static JobResult ResultOf(Exception failure) => failure switch
    {
        BookBytesException { IsTransient: false } known => JobResult.Failed(new JobError(known.ErrorCode, known.Message)),
        BookBytesException known => JobResult.Retry(new JobError(known.ErrorCode, known.Message)),
        _ => JobResult.Retry(new JobError(ErrorCodes.Internal, failure.Message)),
    };

    private async Task RecordOutcomeAsync(JobExecution execution, JobResult result, Exception? failure, bool leaseLost, CancellationToken stopping)
    {
        var (job, lease, _) = execution;

        // Writes here must not be cancelled by shutdown: releasing the job is part of shutting down.
        var ct = CancellationToken.None;
        if (leaseLost || failure is LeaseLostException)
        {
            LogLeaseLost(_logger, job.Id);
            return;
        }

        if (failure is OperationCanceledException && stopping.IsCancellationRequested)
        {
            await _store.ReleaseAsync(lease, ct).ConfigureAwait(false);
            _metrics.JobReleased(job.Type);
            LogJobReleased(_logger, job.Id);
            return;
        }

        switch (result.Outcome)
        {
            case JobOutcome.Completed:
                await _store.CompleteAsync(lease, ct).ConfigureAwait(false);
                _metrics.JobCompleted(job.Type);
                LogJobCompleted(_logger, job.Id);
                break;
            case JobOutcome.Retry when execution.HasAttemptsLeft:
                var delay = RetryBackoff.Compute(job.Attempt, _options.RetryBaseDelay, _options.MaxRetryDelay, Random.Shared.NextDouble());
                await _store.ScheduleRetryAsync(lease, result.Error!, _time.GetUtcNow() + delay, ct).ConfigureAwait(false);
                _metrics.JobRetried(job.Type);
                LogJobRetry(_logger, failure, job.Id, job.Attempt, job.MaxAttempts, delay, result.Error!.Message);
                break;
            default:
                await _store.FailAsync(lease, result.Error!, ct).ConfigureAwait(false);
                _metrics.JobFailed(job.Type);
                LogJobFailed(_logger, failure, job.Id, result.Error!.Code, result.Error.Message);
                break;
        }
    }

    /// <summary>Orders kinds by name, for the start-up log.</summary>
    private sealed class KindOrder : IComparer<JobKind>
    {
        public static readonly KindOrder Instance = new();

        public int Compare(JobKind x, JobKind y) => string.CompareOrdinal(x.Value, y.Value);
    }
}
