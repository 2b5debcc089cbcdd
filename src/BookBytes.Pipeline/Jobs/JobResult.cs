using BookBytes.Jobs;

namespace BookBytes.Pipeline.Jobs;

/// <summary>What an <see cref="IJobHandler"/> decided about one attempt of a job; the runner records it.</summary>
/// <remarks>Immutable; safe to share between threads.</remarks>
public sealed class JobResult
{
    private JobResult(JobOutcome outcome, JobError? error)
    {
        Outcome = outcome;
        Error = error;
    }

    /// <summary>Gets the result of an attempt that finished the job's work.</summary>
    public static JobResult Completed { get; } = new(JobOutcome.Completed, null);

    /// <summary>Gets the outcome.</summary>
    public JobOutcome Outcome { get; }

    /// <summary>Gets why the attempt failed; <see langword="null"/> when it completed.</summary>
    public JobError? Error { get; }

    /// <summary>
    /// The attempt failed and the job should run again after the runner's back-off. When no attempt is left
    /// (<see cref="JobExecution.HasAttemptsLeft"/> is false) the runner fails the job instead.
    /// </summary>
    /// <param name="error">Why the attempt failed.</param>
    /// <returns>The result.</returns>
    public static JobResult Retry(JobError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(JobOutcome.Retry, error);
    }

    /// <summary>The job failed for good.</summary>
    /// <param name="error">Why it failed.</param>
    /// <returns>The result.</returns>
    public static JobResult Failed(JobError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(JobOutcome.Failed, error);
    }
}
