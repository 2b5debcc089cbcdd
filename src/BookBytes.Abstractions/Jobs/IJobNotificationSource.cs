namespace BookBytes.Jobs;

/// <summary>
/// Optionally implemented by an <see cref="IJobStore"/> that can push "a job is due" notifications
/// (for example PostgreSQL <c>LISTEN/NOTIFY</c>), so idle workers on every node wake at once instead of
/// at their next poll. Polling still runs; notifications only shorten the wait.
/// </summary>
public interface IJobNotificationSource
{
    /// <summary>Yields the id of each job enqueued or released on any node, while listening.</summary>
    /// <param name="cancellationToken">A token that stops listening.</param>
    /// <returns>Job ids as their notifications arrive; the sequence ends only when cancelled or when the connection fails (by throwing).</returns>
    IAsyncEnumerable<Guid> ListenForJobsAsync(CancellationToken cancellationToken = default);
}
