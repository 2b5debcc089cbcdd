using BookBytes.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BookBytes.Pipeline.Jobs;

/// <summary>
/// Deletes finished jobs older than <see cref="JobsOptions.Retention"/>, with their audiobook links, once at start and then every
/// <see cref="JobsOptions.RetentionSweepInterval"/>. Registered beside the runner on worker nodes; the store decides which node
/// sweeps (<see cref="IJobStore.DeleteFinishedJobsAsync"/>), so every node may run one.
/// </summary>
internal sealed partial class JobRetentionSweeper : BackgroundService
{
    /// <summary>Jobs deleted per store call: one short transaction each, so a large backlog never holds the store for long.</summary>
    internal const int BatchSize = 500;

    private readonly IJobStore _store;
    private readonly TimeProvider _time;
    private readonly BookBytesOptions _options;
    private readonly ILogger _logger;

    public JobRetentionSweeper(IJobStore store, TimeProvider time, IOptions<BookBytesOptions> options, ILogger<JobRetentionSweeper>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _time = time;
        _options = options.Value;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = _options.Jobs.Retention;
        if (!_options.Worker.Enabled || retention <= TimeSpan.Zero)
        {
            LogDisabled(_logger);
            return;
        }

        using var timer = new PeriodicTimer(_options.Jobs.RetentionSweepInterval, _time);
        try
        {
            do
            {
                try
                {
                    await SweepAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // A store that is down now may be up at the next tick; the jobs wait for it.
                    LogSweepFailed(_logger, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Deletes every finished job older than the retention, a batch at a time.</summary>
    /// <returns>How many jobs were deleted; 0 also when another node is sweeping.</returns>
    internal async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var before = _time.GetUtcNow() - _options.Jobs.Retention;
        var total = 0;
        int deleted;
        do
        {
            deleted = await _store.DeleteFinishedJobsAsync(before, BatchSize, cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted == BatchSize);

        if (total > 0)
        {
            LogSwept(_logger, total, before);
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job retention off: BookBytes:Jobs:Retention is 0 or this node runs no jobs")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} jobs that finished before {Before}")]
    private static partial void LogSwept(ILogger logger, int count, DateTimeOffset before);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job retention sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
