using BookBytes.Jobs;
using BookBytes.Pipeline.Processing;

namespace BookBytes.WebHost.Api;

/// <summary>
/// A job as the API shows it (<c>GET /api/v1/jobs/{jobId}</c> and each server-sent event). While a failed attempt waits
/// for its retry, <c>status</c> is Pending, <c>errorCode</c>/<c>errorMessage</c> say why and <c>nextAttemptAt</c> says when;
/// <c>rescues</c> counts the times a worker died while running it (not attempts); <c>usage</c> is what its provider calls used so far.
/// </summary>
internal sealed record JobResponse(
    Guid Id,
    string JobType,
    JobStatus Status,
    int Progress,
    string? CurrentStep,
    Guid? AudioBookId,
    int Attempt,
    int MaxAttempts,
    int Rescues,
    DateTimeOffset? NextAttemptAt,
    string? ErrorCode,
    string? ErrorMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    JobUsageResponse Usage)
{
    public static JobResponse From(JobDetails details)
    {
        var job = details.Job;
        return new JobResponse(
            job.Id, job.Type.Value, job.Status, job.Progress, job.CurrentStep, details.AudioBookId, job.Attempt, job.MaxAttempts, job.Rescues,
            job is { Status: JobStatus.Pending, Attempt: > 0 } ? job.NotBefore : null,
            job.ErrorCode, job.ErrorMessage, job.CreatedAt, job.UpdatedAt, job.StartedAt, job.CompletedAt, JobUsageResponse.From(job.Usage));
    }
}
