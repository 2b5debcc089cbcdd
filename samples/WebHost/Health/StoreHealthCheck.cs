using BookBytes.Jobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BookBytes.WebHost.Health;

/// <summary>Ready when the job store answers a count of pending jobs.</summary>
internal sealed class StoreHealthCheck(IJobStore jobs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = await jobs.CountAsync(JobStatus.Pending, cancellationToken);
            return HealthCheckResult.Healthy(
                $"{jobs.GetType().Name} reachable",
                new Dictionary<string, object> { ["pendingJobs"] = pending });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The message stays in the log (with the exception): it may name hosts or users.
            return HealthCheckResult.Unhealthy($"{jobs.GetType().Name} unreachable", ex);
        }
    }
}
