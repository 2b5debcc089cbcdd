namespace BookBytes.Jobs;

/// <summary>
/// Where a job is in its lifecycle: <c>Pending → Processing → Completed | Failed</c>; a retryable failure goes back to <c>Pending</c>,
/// and a pending or processing job can be <c>Cancelled</c>.
/// </summary>
public enum JobStatus
{
    /// <summary>Waiting to be claimed once <see cref="Job.NotBefore"/> has passed.</summary>
    Pending,

    /// <summary>Claimed by a worker that holds its lease.</summary>
    Processing,

    /// <summary>Finished successfully. Terminal.</summary>
    Completed,

    /// <summary>Failed for good (not retryable, or attempts exhausted). Terminal.</summary>
    Failed,

    /// <summary>
    /// Cancelled on request (<see cref="IJobStore.CancelAsync"/>) while pending or processing. Terminal: a worker running it loses its
    /// lease, so it stops at its next checkpoint and writes nothing more; what it stored before is kept.
    /// </summary>
    Cancelled,
}
