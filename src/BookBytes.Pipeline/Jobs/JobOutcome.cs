namespace BookBytes.Pipeline.Jobs;

/// <summary>How an attempt of a job ended, as its handler decided.</summary>
public enum JobOutcome
{
    /// <summary>The work is done: the job completes.</summary>
    Completed,

    /// <summary>The attempt failed: the job runs again after a back-off while attempts remain.</summary>
    Retry,

    /// <summary>The job failed for good.</summary>
    Failed,
}
