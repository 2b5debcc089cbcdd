using System.Diagnostics;
using OpenTelemetry;

namespace BookBytes.WebHost.Telemetry;

/// <summary>
/// Drops database spans that belong to no trace: the workers' claim polls and the queue gauges' reads, several a second per
/// node, each of which would otherwise be a trace of its own. A query made inside a job or a request keeps its span.
/// </summary>
internal sealed class DetachedDatabaseSpanFilter(string sourceName) : BaseProcessor<Activity>
{
    /// <inheritdoc/>
    public override void OnStart(Activity data)
    {
        if (data.Parent is null && data.ParentSpanId == default && string.Equals(data.Source.Name, sourceName, StringComparison.Ordinal))
        {
            // Exporters skip an activity that is not recorded; nothing more is collected for it.
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            data.IsAllDataRequested = false;
        }
    }
}
