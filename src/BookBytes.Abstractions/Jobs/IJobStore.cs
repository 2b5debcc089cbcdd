namespace BookBytes.Jobs;

/// <summary>
/// Durable storage of jobs, with leases so that several workers (and several nodes) share one queue.
/// </summary>
/// <remarks>
/// <para>
/// A claim picks the oldest due pending job (ordered by <see cref="Job.NotBefore"/>, then creation),
/// or a processing job whose lease has expired because its worker died. Claiming a pending job counts an
/// attempt; taking back an expired one counts a rescue (<see cref="Job.Rescues"/>) and continues its attempt.
/// Either hands out a <see cref="JobLease"/> with a new token. Every later write carries that lease and is
/// refused with <see cref="LeaseLostException"/> once the job has been claimed again or released: a
/// worker that lost its lease can never overwrite the new owner's work.
/// </para>
/// <para>Implementations must be safe to call from many threads and processes at once.</para>
/// </remarks>
public interface IJobStore
{
    /// <summary>Adds a pending job.</summary>
    /// <param name="job">The job to add.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The stored job.</returns>
    /// <exception cref="ArgumentException">The payload is empty or <see cref="NewJob.MaxAttempts"/> is below 1.</exception>
    Task<Job> EnqueueAsync(NewJob job, CancellationToken cancellationToken = default);

    /// <summary>Claims the next due job for a worker, if any.</summary>
    /// <param name="workerId">A name unique to the worker, for diagnostics.</param>
    /// <param name="leaseDuration">How long the lease lasts unless renewed.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The claimed job and its lease, or <see langword="null"/> when nothing is due.</returns>
    Task<ClaimedJob?> ClaimNextAsync(string workerId, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Renews a lease.</summary>
    /// <param name="lease">The lease to renew.</param>
    /// <param name="leaseDuration">How long from now the renewed lease lasts.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The renewed lease.</returns>
    /// <exception cref="LeaseLostException">The lease is no longer held.</exception>
    Task<JobLease> HeartbeatAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>Records progress. Progress never goes backwards: a lower value keeps the higher one stored (the step text is still updated).</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="progress">The progress, 0 to 100.</param>
    /// <param name="currentStep">What the job is doing now.</param>
    /// <param name="usage">What the job's provider calls used so far, when it changed.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="progress"/> is outside 0 to 100.</exception>
    /// <exception cref="LeaseLostException">The lease is no longer held.</exception>
    Task UpdateProgressAsync(JobLease lease, int progress, string currentStep, UsageTotals? usage = null, CancellationToken cancellationToken = default);

    /// <summary>Marks the job <see cref="JobStatus.Completed"/> with progress 100.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <exception cref="LeaseLostException">The lease is no longer held.</exception>
    Task CompleteAsync(JobLease lease, CancellationToken cancellationToken = default);

    /// <summary>Marks the job <see cref="JobStatus.Failed"/> for good.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="failure">Why it failed.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <exception cref="LeaseLostException">The lease is no longer held.</exception>
    Task FailAsync(JobLease lease, JobError failure, CancellationToken cancellationToken = default);

    /// <summary>Records a retryable failure and puts the job back to <see cref="JobStatus.Pending"/>, due at <paramref name="notBefore"/>.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="failure">Why the attempt failed.</param>
    /// <param name="notBefore">When the job may run again.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <exception cref="LeaseLostException">The lease is no longer held.</exception>
    Task ScheduleRetryAsync(JobLease lease, JobError failure, DateTimeOffset notBefore, CancellationToken cancellationToken = default);

    /// <summary>Gives an unfinished job back to <see cref="JobStatus.Pending"/>, due now, without using up its attempt: the next claim takes the same attempt up again (used at shutdown).</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <exception cref="LeaseLostException">The lease is no longer held.</exception>
    Task ReleaseAsync(JobLease lease, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a pending or processing job at once: it becomes <see cref="JobStatus.Cancelled"/> (code <see cref="ErrorCodes.JobCancelled"/>)
    /// and loses its lease, so a worker running it — on any node — finds its heartbeat and writes refused with
    /// <see cref="LeaseLostException"/> and stops. A job that has already ended is left as it is.
    /// </summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The job as it is now (cancelled, or as it ended), or <see langword="null"/> when none has the id.</returns>
    Task<Job?> CancelAsync(Guid jobId, CancellationToken cancellationToken = default);

    /// <summary>Gets a job.</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The job, or <see langword="null"/> when none has the id.</returns>
    Task<Job?> GetAsync(Guid jobId, CancellationToken cancellationToken = default);

    /// <summary>Lists jobs, oldest first.</summary>
    /// <param name="status">Only jobs with this status; <see langword="null"/> for all.</param>
    /// <param name="limit">The most jobs to return.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The jobs.</returns>
    Task<IReadOnlyList<Job>> ListAsync(JobStatus? status = null, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of jobs, newest first (by creation time, then id), with the count of all that match.</summary>
    /// <param name="query">The filters (status, kind) and the page (skip, take).</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The page and the total count of matching jobs.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="JobQuery.Skip"/> or <see cref="JobQuery.Take"/> is negative.</exception>
    Task<JobPage> ListJobsAsync(JobQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> finished jobs (<see cref="JobStatus.Completed"/>, <see cref="JobStatus.Failed"/>,
    /// <see cref="JobStatus.Cancelled"/>) that finished before <paramref name="before"/>, oldest first, together with their
    /// audiobook links, in one transaction. Audiobooks and chapters are never deleted. The store decides who sweeps: a store
    /// shared by several nodes lets one delete at a time, and the others get 0 and skip this round.
    /// </summary>
    /// <param name="before">Jobs whose <see cref="Job.CompletedAt"/> is earlier than this are deleted.</param>
    /// <param name="limit">The most jobs to delete in this call (1 or more); call again while it returns <paramref name="limit"/>.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>How many jobs were deleted (0 when another node is sweeping).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is below 1.</exception>
    Task<int> DeleteFinishedJobsAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default);

    /// <summary>Counts jobs.</summary>
    /// <param name="status">Only jobs with this status; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The count.</returns>
    Task<long> CountAsync(JobStatus? status = null, CancellationToken cancellationToken = default);
}
