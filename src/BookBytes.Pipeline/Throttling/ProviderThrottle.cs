using System.Threading.RateLimiting;

namespace BookBytes.Pipeline.Throttling;

/// <summary>
/// Bounds the calls to one provider on this node: at most <c>MaxConcurrency</c> in flight (waiters
/// served in arrival order) and, optionally, at most <c>RequestsPerMinute</c> started per minute.
/// Shared by all jobs of the node. Thread-safe.
/// </summary>
internal sealed class ProviderThrottle : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly RateLimiter? _perMinute;

    public ProviderThrottle(int maxConcurrency, int requestsPerMinute)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
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

    /// <summary>Runs the call once a slot (and a per-minute permit) is free.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_perMinute is not null)
            {
                // Taken last, just before the call starts: a permit held while waiting for a slot would let
                // the waiters start together, past the limit. Window permits are spent, not given back.
                using var permit = await _perMinute.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            }

            return await call(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose()
    {
        _slots.Dispose();
        _perMinute?.Dispose();
    }
}
