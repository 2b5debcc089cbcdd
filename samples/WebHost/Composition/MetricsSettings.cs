using System.ComponentModel.DataAnnotations;

namespace BookBytes.WebHost.Composition;

/// <summary>The host's metrics endpoint and queue gauges, bound from <c>BookBytes:Host:Metrics</c>.</summary>
internal sealed class MetricsSettings
{
    /// <summary>Whether <c>GET /metrics</c> serves the Prometheus scrape; on by default.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>How often the pending-queue gauges read the store (two small queries each time).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan QueueRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);
}
