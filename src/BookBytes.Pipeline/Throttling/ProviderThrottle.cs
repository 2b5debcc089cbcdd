using System.Threading.RateLimiting;

namespace BookBytes.Pipeline.Throttling;

/// <summary>
/// Bounds the calls to one provider on this node, for all jobs: at most <see cref="Limit"/> in flight
/// (waiters served by their order — earliest deadline first, see <c>BookRunContext.OrderOf</c>, so a book's early chapters
/// finish first and a long chapter's combining call does not queue behind later chapters' parts — and in arrival order among
/// equals) and, optionally, at most <c>RequestsPerMinute</c> started per minute.
/// The limit adapts (AIMD): a rate-limited call (HTTP 429) halves it — once per pause — and holds new starts
/// until the provider's <c>Retry-After</c> has passed; every <see cref="Limit"/> successful calls raise it by
/// one again, up to <c>MaxConcurrency</c>. So a busy provider slows the node down instead of failing its books.
/// Thread-safe.
/// </summary>
internal sealed class ProviderThrottle : IDisposable
{
    /// <summary>The pause after a 429 that names no <c>Retry-After</c>.</summary>
    internal static readonly TimeSpan DefaultPause = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause a <c>Retry-After</c> may ask for; longer ones are cut to it.</summary>
    internal static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly LinkedList<(TaskCompletionSource Waiter, long Order)> _waiters = [];
    private readonly int _max;
    private readonly TimeProvider _time;
    private readonly RateLimiter? _perMinute;
    private readonly ITimer _resume;
    private int _limit;
    private int _inFlight;
    private int _successes;
    private DateTimeOffset _pausedUntil;

    public ProviderThrottle(int maxConcurrency, int requestsPerMinute, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _max = maxConcurrency;
        _limit = maxConcurrency;
        _time = timeProvider ?? TimeProvider.System;
        _resume = _time.CreateTimer(_ => Pump(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (requestsPerMinute > 0)
        {
            // A sliding minute (in one-second segments): no 60-second span ever sees more starts than the
            // limit, which a bucket refilled once a minute allows (a full bucket spent just before and after
            // the refill).
            _perMinute = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = requestsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 60,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }
    }

    /// <summary>Gets how many calls may be in flight now.</summary>
    public int Limit
    {
        get
        {
            lock (_gate)
            {
                return _limit;
            }
        }
    }

    /// <summary>Gets until when new calls are held after a rate-limited one; in the past when none are.</summary>
    public DateTimeOffset PausedUntil
    {
        get
        {
            lock (_gate)
            {
                return _pausedUntil;
            }
        }
    }

    /// <summary>Runs the call once a slot (and a per-minute permit) is free, and learns from its outcome.</summary>
    /// <typeparam name="T">The call's result.</typeparam>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">A token that cancels the wait and the call.</param>
    /// <param name="order">Where the call queues: waiters with a lower order are served first, equal ones in arrival order.</param>
    /// <returns>The call's result.</returns>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, long order = 0)
    {
        await AcquireAsync(order, cancellationToken).ConfigureAwait(false);
        try
        {
            if (_perMinute is not null)
            {
                // Taken last, just before the call starts: a permit held while waiting for a slot would let
                // the waiters start together, past the limit. Window permits are spent, not given back.
                using var permit = await _perMinute.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            }

            var result = await call(cancellationToken).ConfigureAwait(false);
            Succeeded();
            return result;
        }
        catch (ProviderException ex) when (ex.StatusCode == 429)
        {
            RateLimited(ex.RetryAfter);
            throw;
        }
        finally
        {
            Release();
        }
    }

    public void Dispose()
    {
        _resume.Dispose();
        _perMinute?.Dispose();
    }

    private Task AcquireAsync(long order, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource waiter;
        LinkedListNode<(TaskCompletionSource Waiter, long Order)> node;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _inFlight < _limit && _time.GetUtcNow() >= _pausedUntil)
            {
                _inFlight++;
                return Task.CompletedTask;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            // Behind every waiter of the same or a lower order; usually the last, as books queue in order.
            var after = _waiters.Last;
            while (after is not null && after.Value.Order > order)
            {
                after = after.Previous;
            }

            node = after is null ? _waiters.AddFirst((waiter, order)) : _waiters.AddAfter(after, (waiter, order));
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    if (node.List is null)
                    {
                        return; // already given its slot; the caller releases it
                    }

                    _waiters.Remove(node);
                }

                waiter.TrySetCanceled(cancellationToken);
            });
            _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return waiter.Task;
    }

    private void Release()
    {
        lock (_gate)
        {
            _inFlight--;
        }

        Pump();
    }

    private void Succeeded()
    {
        lock (_gate)
        {
            // Additive increase: one more slot for every limit's worth of calls that went through.
            if (_limit < _max && ++_successes >= _limit)
            {
                _limit++;
                _successes = 0;
            }
        }
    }

    private void RateLimited(TimeSpan? retryAfter)
    {
        var pause = retryAfter is { } asked && asked > TimeSpan.Zero ? (asked < MaxPause ? asked : MaxPause) : DefaultPause;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now >= _pausedUntil)
            {
                // Multiplicative decrease, once per pause: the 429s of calls that were in flight together are one signal.
                _limit = Math.Max(1, _limit / 2);
                _successes = 0;
            }

            if (now + pause > _pausedUntil)
            {
                _pausedUntil = now + pause;
                _resume.Change(pause, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Pump()
    {
        List<TaskCompletionSource>? ready = null;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now < _pausedUntil)
            {
                // The resume timer pumps when the pause ends; set it again, as a timer may fire a little early.
                _resume.Change(_pausedUntil - now, Timeout.InfiniteTimeSpan);
                return;
            }

            while (_waiters.First is { } first && _inFlight < _limit)
            {
                _waiters.RemoveFirst();
                _inFlight++;
                (ready ??= []).Add(first.Value.Waiter);
            }
        }

        foreach (var waiter in ready ?? [])
        {
            if (!waiter.TrySetResult())
            {
                // Cancelled between leaving the queue and now: give its slot to the next.
                Release();
            }
        }
    }
}
