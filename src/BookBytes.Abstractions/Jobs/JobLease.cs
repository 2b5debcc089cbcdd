namespace BookBytes.Jobs;

/// <summary>
/// Proof that a worker claimed a job. Every write after a claim carries it; a store refuses the
/// write with <see cref="LeaseLostException"/> once another claim has replaced it.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="WorkerId">The worker that claimed it.</param>
/// <param name="Token">The claim's fencing token, new for every claim.</param>
/// <param name="ExpiresAt">When the lease runs out unless renewed by <see cref="IJobStore.HeartbeatAsync"/>.</param>
public sealed record JobLease(Guid JobId, string WorkerId, Guid Token, DateTimeOffset ExpiresAt);
