using BookBytes.Jobs;

namespace BookBytes.Pipeline.Jobs;

/// <summary>A job being run by a worker: the claimed job, its lease, and the shutdown signal.</summary>
/// <param name="Job">The job as claimed (status processing, attempt counted).</param>
/// <param name="Lease">The lease to carry on every write.</param>
/// <param name="Stopping">Signalled when the node shuts down: start no new step, finish what is in flight, then throw <see cref="OperationCanceledException"/> so the job is released.</param>
public sealed record JobExecution(Job Job, JobLease Lease, CancellationToken Stopping)
{
    /// <summary>Gets a value indicating whether a failed attempt can still be retried: this is not the job's last attempt.</summary>
    public bool HasAttemptsLeft => Job.Attempt < Job.MaxAttempts;

    /// <summary>
    /// Gets why the job must not run again, when its workers died while running it more often than <c>Jobs:MaxRescues</c>
    /// allows: the job itself may be what kills them (code <see cref="ErrorCodes.JobAbandoned"/>). A handler given such a
    /// job does not do its work; it records the failure in its own state and returns <see cref="JobResult.Failed"/> with
    /// this error (the runner fails the job with it whatever the handler returns). <see langword="null"/> otherwise.
    /// </summary>
    public JobError? Abandoned { get; init; }
}
