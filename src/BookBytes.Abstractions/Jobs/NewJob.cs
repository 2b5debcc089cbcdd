namespace BookBytes.Jobs;

/// <summary>A job to enqueue.</summary>
/// <param name="Type">What kind of work the job does.</param>
/// <param name="Payload">The job's input as JSON.</param>
/// <param name="MaxAttempts">How many attempts the job may have; at least 1.</param>
/// <param name="NotBefore">The earliest time it may run; <see langword="null"/> for now.</param>
/// <param name="Id">The id to give it; <see langword="null"/> for a new version 7 GUID.</param>
public sealed record NewJob(JobType Type, string Payload, int MaxAttempts = 3, DateTimeOffset? NotBefore = null, Guid? Id = null);
