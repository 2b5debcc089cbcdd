using System.Diagnostics.Metrics;
using BookBytes.Jobs;
using BookBytes.Pipeline.Diagnostics;
using BookBytes.WebHost.Composition;
using Microsoft.Extensions.Options;

namespace BookBytes.WebHost.Telemetry;

/// <summary>
/// The pending queue as gauges on the <c>BookBytes</c> meter: <c>bookbytes.jobs.pending</c> (jobs waiting, retries and delayed
/// packaging included) and <c>bookbytes.jobs.oldest_pending_age</c> (seconds since the oldest of them was created).
/// </summary>
/// <remarks>
/// Observable callbacks run on the exporter's thread and must not wait on a database, so this service reads the store every
/// <c>BookBytes:Host:Metrics:QueueRefreshInterval</c>, one read at a time, and the callbacks report what it last read; the age
/// is computed at observation from the oldest job's creation time, so it keeps growing between reads. While the store cannot be
/// read the gauges report nothing rather than a stale number. Every node reports the same shared queue: aggregate with max, not sum.
/// </remarks>
internal sealed partial class JobQueueGauges : BackgroundService
{
    private readonly IJobStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ILogger<JobQueueGauges> _logger;
    private volatile Snapshot? _last;

    public JobQueueGauges(IJobStore store, TimeProvider time, IMeterFactory meters, IOptions<HostSettings> settings, ILogger<JobQueueGauges> logger)
    {
        _store = store;
        _time = time;
        _interval = settings.Value.Metrics.QueueRefreshInterval;
        _logger = logger;
        var meter = meters.Create(BookBytesDiagnostics.Name);
        meter.CreateObservableGauge("bookbytes.jobs.pending", ObservePending, "{job}", "Jobs waiting in the store (pending, due or not yet due).");
        meter.CreateObservableGauge("bookbytes.jobs.oldest_pending_age", ObserveOldestAge, "s", "Seconds since the oldest pending job was created; 0 when none waits.");
    }

    /// <summary>Reads the store once; the gauges report the result.</summary>
    /// <param name="cancellationToken">A token that cancels the read.</param>
    /// <returns>A task that completes when the read did.</returns>
    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            var count = await _store.CountAsync(JobStatus.Pending, cancellationToken).ConfigureAwait(false);
            var oldest = count == 0 ? [] : await _store.ListAsync(JobStatus.Pending, 1, cancellationToken).ConfigureAwait(false);
            _last = new Snapshot(count, oldest.Count > 0 ? oldest[0].CreatedAt : null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The readiness check reports a store that is down; the gauges only stop reporting.
            _last = null;
            LogRefreshFailed(_logger, ex);
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        do
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            // A slow store must not pile reads up: each read gets at most one interval (and never less than a second).
            bounded.CancelAfter(_interval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : _interval);
            await RefreshAsync(bounded.Token).ConfigureAwait(false);
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private IEnumerable<Measurement<long>> ObservePending()
        => _last is { } last ? [new Measurement<long>(last.Pending)] : [];

    private IEnumerable<Measurement<double>> ObserveOldestAge()
    {
        if (_last is not { } last)
        {
            return [];
        }

        var age = last.OldestCreatedAt is { } created ? Math.Max(0, (_time.GetUtcNow() - created).TotalSeconds) : 0;
        return [new Measurement<double>(age)];
    }

    [LoggerMessage(1, LogLevel.Debug, "The pending-queue gauges could not read the job store; they report nothing until the next read succeeds.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    private sealed record Snapshot(long Pending, DateTimeOffset? OldestCreatedAt);
}
