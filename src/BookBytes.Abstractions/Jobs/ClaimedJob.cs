namespace BookBytes.Jobs;

/// <summary>A job a worker has just claimed, with the lease that proves it.</summary>
/// <param name="Job">The job as it is after the claim (status <see cref="JobStatus.Processing"/>, attempt counted).</param>
/// <param name="Lease">The lease to carry on every later write.</param>
public sealed record ClaimedJob(Job Job, JobLease Lease);
