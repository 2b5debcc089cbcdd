using System.Globalization;
using BookBytes.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BookBytes.WebHost.Health;

/// <summary>Ready when a small probe object can be written to and deleted from the audio storage.</summary>
internal sealed class StorageHealthCheck(IStorageBackend storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var key = StorageKey.Parse(string.Create(CultureInfo.InvariantCulture, $"health/probe-{Guid.NewGuid():N}.txt"));
        try
        {
            using var content = new MemoryStream("ok"u8.ToArray());
            await storage.SaveAsync(key, content, "text/plain", cancellationToken);
            await storage.DeleteAsync(key, cancellationToken);
            return HealthCheckResult.Healthy($"{storage.GetType().Name} writable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The message stays in the log (with the exception): it may name hosts, users or buckets.
            return HealthCheckResult.Unhealthy($"{storage.GetType().Name} not writable", ex);
        }
    }
}
