namespace BookBytes.Pipeline.Jobs;

/// <summary>Exponential backoff with jitter for failed job attempts.</summary>
internal static class RetryBackoff
{
    /// <summary>The jitter, as a fraction of the delay either way.</summary>
    public const double Jitter = 0.2;

    /// <summary>Computes the delay before the next attempt: <c>baseDelay × 2^(attempt−1)</c>, capped at <paramref name="maxDelay"/>, then ±20%.</summary>
    /// <param name="attempt">The attempt that just failed, from 1.</param>
    /// <param name="baseDelay">The delay after the first attempt.</param>
    /// <param name="maxDelay">The cap before jitter.</param>
    /// <param name="random01">A random number in [0, 1).</param>
    /// <returns>The delay.</returns>
    public static TimeSpan Compute(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double random01)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ticks = Math.Min(maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, exponent));
        var factor = 1 + Jitter * ((2 * random01) - 1);
        return TimeSpan.FromTicks((long)(ticks * factor));
    }
}
