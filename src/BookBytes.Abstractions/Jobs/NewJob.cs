namespace BookBytes.Jobs;

/// <summary>A job to enqueue.</summary>
/// <param name="Type">What kind of work the job does; a handler for it must be registered on the nodes that run jobs.</param>
/// <param name="Payload">The job's input as JSON.</param>
/// <param name="MaxAttempts">How many attempts the job may have; at least 1.</param>
/// <param name="NotBefore">The earliest time it may run; <see langword="null"/> for now.</param>
/// <param name="Id">The id to give it; <see langword="null"/> for a new version 7 GUID.</param>
public sealed record NewJob(JobKind Type, string Payload, int MaxAttempts = 3, DateTimeOffset? NotBefore = null, Guid? Id = null)
{
    /// <summary>Validates the job and makes the pending <see cref="Job"/> a store writes for it: every <see cref="IJobStore"/> enqueues through this.</summary>
    /// <param name="now">The store's current time: the creation time, and the due time unless <see cref="NotBefore"/> is set.</param>
    /// <returns>The pending job, attempt 0, with its id and times in UTC.</returns>
    /// <exception cref="ArgumentException">The kind is <c>default</c>, the payload is empty, or <see cref="MaxAttempts"/> is below 1.</exception>
    public Job ToPendingJob(DateTimeOffset now)
    {
        if (Type == default)
        {
            throw new ArgumentException("The job has no kind.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(Payload, nameof(Payload));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        return new Job
        {
            Id = Id ?? Guid.CreateVersion7(now),
            Type = Type,
            Status = JobStatus.Pending,
            Payload = Payload,
            MaxAttempts = MaxAttempts,
            NotBefore = (NotBefore ?? now).ToUniversalTime(),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}
