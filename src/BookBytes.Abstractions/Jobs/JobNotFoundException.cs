namespace BookBytes.Jobs;

/// <summary>Thrown when no job with the requested id exists.</summary>
public sealed class JobNotFoundException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="jobId">The id that was not found.</param>
    public JobNotFoundException(Guid jobId)
        : base($"No job with id {jobId} exists.", ErrorCodes.JobNotFound)
    {
        JobId = jobId;
    }

    /// <summary>Gets the id that was not found.</summary>
    public Guid JobId { get; }
}
