using System.Globalization;
using BookBytes.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BookBytes.WebHost.Health;

/// <summary>
/// Ready when a small probe object can be written to and deleted from the audio storage. A singleton
/// that reuses its last answer for <see cref="CacheFor"/>: the endpoint is open, and each probe is a
/// write and a delete (on S3, billed requests).
/// </summary>
internal sealed class StorageHealthCheck(IStorageBackend storage, TimeProvider time) : IHealthCheck, IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _probing = new(1, 1);
    private (HealthCheckResult Result, DateTimeOffset At)? _last;

    public void Dispose() => _probing.Dispose();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _probing.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && time.GetUtcNow() - last.At < CacheFor)
            {
                return last.Result;
            }

            var result = await ProbeAsync(cancellationToken);
            _last = (result, time.GetUtcNow());
            return result;
        }
        finally
        {
            _probing.Release();
        }
    }

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
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
