using BookBytes.Jobs;

namespace BookBytes.Pipeline.Jobs;

/// <summary>
/// Renews one job's lease on a timer every third of the lease duration while the job runs, and
/// reports the lease lost when the store refuses a renewal or when the lease runs out without one.
/// A timer rather than a delay loop: most jobs end before the first beat, and a timer costs nothing
/// to stop.
/// </summary>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly IJobStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _duration;
    private readonly Action _onLost;
    private readonly Action<Exception, Guid> _onFailed;
    private readonly ITimer _timer;
    private JobLease _lease;
    private Task _beat = Task.CompletedTask;
    private int _busy;
    private volatile bool _stopped;

    public LeaseKeeper(IJobStore store, TimeProvider time, JobLease lease, TimeSpan duration, Action onLost, Action<Exception, Guid> onFailed)
    {
        _store = store;
        _time = time;
        _lease = lease;
        _duration = duration;
        _onLost = onLost;
        _onFailed = onFailed;
        var interval = duration / 3;
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
            _lease = await _store.HeartbeatAsync(_lease, _duration, CancellationToken.None).ConfigureAwait(false);
        }
        catch (LeaseLostException)
        {
            Lost();
        }
        catch (Exception ex)
        {
            // A missed heartbeat is not fatal while the lease lasts; once it has run out another worker
            // may own the job, so this one must stop before it writes anything more (storage included).
            _onFailed(ex, _lease.JobId);
            if (_time.GetUtcNow() >= _lease.ExpiresAt)
            {
                Lost();
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private void Lost()
    {
        _stopped = true;
        _onLost();
    }
}
