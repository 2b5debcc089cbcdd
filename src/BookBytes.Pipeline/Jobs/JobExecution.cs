using BookBytes.Jobs;

namespace BookBytes.Pipeline.Jobs;

/// <summary>A job being run by a worker: the claimed job, its lease, and the shutdown signal.</summary>
/// <param name="Job">The job as claimed (status processing, attempt counted).</param>
/// <param name="Lease">The lease to carry on every write.</param>
/// <param name="Stopping">Signalled when the node shuts down: start no new step, finish what is in flight, then throw <see cref="OperationCanceledException"/> so the job is released.</param>
public sealed record JobExecution(Job Job, JobLease Lease, CancellationToken Stopping);
