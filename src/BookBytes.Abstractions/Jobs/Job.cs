namespace BookBytes.Jobs;

/// <summary>A durable unit of work with progress, attempts and a lease.</summary>
/// <remarks>A snapshot: an immutable record read from an <see cref="IJobStore"/>. Safe to share between threads.</remarks>
public sealed record Job
{
    /// <summary>Gets the job id (a version 7 GUID, so ids sort by creation time).</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets what kind of work the job does.</summary>
    public required JobKind Type { get; init; }

    /// <summary>Gets the status.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>Gets the job's input as JSON; its shape depends on <see cref="Type"/>.</summary>
    public required string Payload { get; init; }

    /// <summary>Gets the progress, 0 to 100; it never goes backwards.</summary>
    public int Progress { get; init; }

    /// <summary>Gets a short description of the current step, for example <c>Chapter 3 of 12 stored</c>.</summary>
    public string? CurrentStep { get; init; }

    /// <summary>Gets the job's attempt: 1 during its first run, one more for each retry after a failure (a rescue after a crash continues the attempt it interrupted).</summary>
    public int Attempt { get; init; }

    /// <summary>
    /// Gets how many times the job was taken back from a worker that died while running it (its lease expired).
    /// Rescues are not attempts: the job's attempts count its failures; a separate, larger bound (<c>Jobs:MaxRescues</c>)
    /// stops a job that kills every worker it runs on.
    /// </summary>
    public int Rescues { get; init; }

    /// <summary>Gets how many attempts the job may have before it fails for good.</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>Gets the error code of the last failure, if any.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Gets the error message of the last failure, if any.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Gets the earliest time the job may be claimed while pending.</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>Gets the id of the worker holding the lease, while processing.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>Gets when the current lease expires, while processing.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Gets what the job's provider calls used so far, over all attempts.</summary>
    public UsageTotals Usage { get; init; }

    /// <summary>Gets when the job was enqueued.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the job last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets when the job was first claimed.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when the job reached a terminal status.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets a value indicating whether the job is <see cref="JobStatus.Completed"/>, <see cref="JobStatus.Failed"/> or <see cref="JobStatus.Cancelled"/>.</summary>
    public bool IsTerminal => Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
}
