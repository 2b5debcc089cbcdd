namespace BookBytes.Jobs;

/// <summary>Thrown when a job is requested for an audiobook that already has one pending or processing.</summary>
public sealed class JobInProgressException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="audioBookId">The audiobook.</param>
    /// <param name="jobId">The job already pending or processing.</param>
    public JobInProgressException(Guid audioBookId, Guid jobId)
        : base($"Audiobook {audioBookId} already has job {jobId} pending or processing.", ErrorCodes.JobInProgress)
    {
        AudioBookId = audioBookId;
        JobId = jobId;
    }

    /// <summary>Gets the audiobook.</summary>
    public Guid AudioBookId { get; }

    /// <summary>Gets the job already pending or processing.</summary>
    public Guid JobId { get; }
}
