namespace BookBytes.Jobs;

/// <summary>
/// Thrown by a store when a worker writes to a job whose lease it no longer holds (the lease expired
/// and another worker claimed the job, or the job was released). The worker must stop work on the job.
/// </summary>
public sealed class LeaseLostException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="jobId">The job.</param>
    public LeaseLostException(Guid jobId)
        : base($"The lease on job {jobId} was lost: another worker owns it now, or it was released.", ErrorCodes.LeaseLost)
    {
        JobId = jobId;
    }

    /// <summary>Gets the job.</summary>
    public Guid JobId { get; }
}
