using BookBytes.Jobs;

namespace BookBytes.Pipeline.Jobs;

/// <summary>
/// Does the work of claimed jobs of some kinds for the job runner, and decides each attempt's outcome.
/// BookBytes registers one for <see cref="JobKind.AudiobookGeneration"/> and <see cref="JobKind.AudiobookRefresh"/>;
/// an application adds its own with <c>AddJobHandler</c>.
/// </summary>
/// <remarks>
/// <para>
/// The runner dispatches a claimed job to the handler registered for its <see cref="Job.Type"/>; when several
/// are registered for one kind the last registration wins, and a job whose kind has no handler fails with
/// <see cref="ErrorCodes.JobKindUnknown"/>.
/// </para>
/// <para>
/// The handler owns its outcome: it records its own state (an audiobook's status, say) and returns a
/// <see cref="JobResult"/>; only the runner changes the job's state. A handler that throws is treated as
/// returning <see cref="JobResult.Retry"/> for a transient <see cref="BookBytesException"/> or any other
/// exception, and <see cref="JobResult.Failed"/> for a non-transient one. An
/// <see cref="OperationCanceledException"/> after <see cref="JobExecution.Stopping"/> was signalled releases
/// the job to pending without counting the attempt. Handlers are singletons and run many jobs at once:
/// they must be thread-safe.
/// </para>
/// </remarks>
public interface IJobHandler
{
    /// <summary>Gets the kinds of job this handler runs.</summary>
    IReadOnlyCollection<JobKind> Kinds { get; }

    /// <summary>Does one attempt of the job's work.</summary>
    /// <param name="execution">The job, its lease, and the shutdown signal.</param>
    /// <param name="cancellationToken">Cancelled when the work must stop now: the lease was lost, or shutdown's grace period ran out.</param>
    /// <returns>The attempt's outcome.</returns>
    Task<JobResult> HandleAsync(JobExecution execution, CancellationToken cancellationToken);
}
