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
            _perMinute = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = requestsPerMinute,
                TokensPerPeriod = requestsPerMinute,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }
    }

    /// <summary>Runs the call once a slot (and a per-minute permit) is free.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        if (_perMinute is not null)
        {
            // Token-bucket permits are spent, not returned: disposing the lease gives nothing back.
            using var permit = await _perMinute.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }

        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
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
