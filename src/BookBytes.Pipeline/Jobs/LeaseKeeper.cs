using BookBytes.Jobs;

namespace BookBytes.Pipeline.Jobs;

/// <summary>
/// Renews one job's lease on a timer every third of the lease duration while the job runs, and
/// reports the lease lost when the store refuses a renewal or when the lease runs out without one.
/// Between renewals it reads the job every <c>Jobs:CancelCheckInterval</c>, so a job cancelled on
/// another node stops within seconds rather than at the next renewal. A timer rather than a delay
/// loop: most jobs end before the first beat, and a timer costs nothing to stop.
/// </summary>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly IJobStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _duration;
    private readonly TimeSpan _renewEvery;
    private readonly Action<bool> _onLost;
    private readonly Action<Exception, Guid> _onFailed;
    private readonly ITimer _timer;
    private JobLease _lease;
    private DateTimeOffset _renewed;
    private Task _beat = Task.CompletedTask;
    private int _busy;
    private volatile bool _stopped;

    /// <summary>Starts keeping the lease.</summary>
    /// <param name="store">The job store.</param>
    /// <param name="time">The clock.</param>
    /// <param name="lease">The lease, just claimed.</param>
    /// <param name="duration">How long a renewal lasts; renewed every third of it.</param>
    /// <param name="cancelCheck">How often the job is read between renewals to see whether it was cancelled.</param>
    /// <param name="onLost">Called once when the lease is lost: <see langword="true"/> when the job was cancelled.</param>
    /// <param name="onFailed">Called when a renewal or read fails without losing the lease.</param>
    public LeaseKeeper(IJobStore store, TimeProvider time, JobLease lease, TimeSpan duration, TimeSpan cancelCheck, Action<bool> onLost, Action<Exception, Guid> onFailed)
    {
        _store = store;
        _time = time;
        _lease = lease;
        _duration = duration;
        _renewEvery = duration / 3;
        _renewed = time.GetUtcNow();
        _onLost = onLost;
        _onFailed = onFailed;
        var interval = cancelCheck < _renewEvery ? cancelCheck : _renewEvery;
        _timer = time.CreateTimer(static state => ((LeaseKeeper)state!).Tick(), this, interval, interval);
    }

    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        await _timer.DisposeAsync().ConfigureAwait(false);
        await Volatile.Read(ref _beat).ConfigureAwait(false);
    }

    private void Tick()
    {
        if (_stopped || Interlocked.Exchange(ref _busy, 1) == 1)
        {
            return;
        }

        Volatile.Write(ref _beat, BeatAsync());
    }

    private async Task BeatAsync()
    {
        try
        {
            var now = _time.GetUtcNow();
            if (now - _renewed >= _renewEvery - TimeSpan.FromMilliseconds(1))
            {
                _lease = await _store.HeartbeatAsync(_lease, _duration, CancellationToken.None).ConfigureAwait(false);
                _renewed = now;
            }
            else if (await _store.GetAsync(_lease.JobId, CancellationToken.None).ConfigureAwait(false) is { Status: JobStatus.Cancelled })
            {
                Lost(cancelled: true);
            }
        }
        catch (LeaseLostException)
        {
            Lost(cancelled: await IsCancelledAsync().ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            // A missed heartbeat is not fatal while the lease lasts; once it has run out another worker
            // may own the job, so this one must stop before it writes anything more (storage included).
            _onFailed(ex, _lease.JobId);
            if (_time.GetUtcNow() >= _lease.ExpiresAt)
            {
                Lost(cancelled: false);
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private async Task<bool> IsCancelledAsync()
    {
        try
        {
            return await _store.GetAsync(_lease.JobId, CancellationToken.None).ConfigureAwait(false) is { Status: JobStatus.Cancelled };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _onFailed(ex, _lease.JobId);
            return false;
        }
    }

    private void Lost(bool cancelled)
    {
        _stopped = true;
        _onLost(cancelled);
    }
}
