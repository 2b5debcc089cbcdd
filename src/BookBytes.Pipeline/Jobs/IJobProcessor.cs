using BookBytes.Jobs;

namespace BookBytes.Pipeline.Jobs;

/// <summary>
/// Does the work of a claimed job for the <see cref="JobRunner"/>. The default processor generates and
/// refreshes audiobooks; replace it to run other work on the same runner.
/// </summary>
/// <remarks>
/// The runner owns the job's state: returning normally completes the job; throwing fails the attempt
/// (retried when the exception is a transient <see cref="BookBytesException"/> or not a
/// <see cref="BookBytesException"/> at all, and attempts remain); an <see cref="OperationCanceledException"/>
/// after <see cref="JobExecution.Stopping"/> was signalled releases the job to pending. Implementations
/// are singletons and run many jobs at once: they must be thread-safe.
/// </remarks>
public interface IJobProcessor
{
    /// <summary>Does the job's work.</summary>
    /// <param name="execution">The job, its lease, and the shutdown signal.</param>
    /// <param name="cancellationToken">Cancelled when the work must stop now: the lease was lost, or shutdown's grace period ran out.</param>
    /// <returns>A task that completes when the work is done.</returns>
    Task ProcessAsync(JobExecution execution, CancellationToken cancellationToken);

    /// <summary>Called after an attempt failed, before the runner records the failure, so the processor can update its own state.</summary>
    /// <param name="execution">The job.</param>
    /// <param name="failure">The failure.</param>
    /// <param name="willRetry"><see langword="true"/> when the job will be tried again.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>A task that completes when the processor's state is updated.</returns>
    Task OnFailedAsync(JobExecution execution, JobError failure, bool willRetry, CancellationToken cancellationToken);
}
