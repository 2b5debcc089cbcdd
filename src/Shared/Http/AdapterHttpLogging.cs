using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly.Telemetry;

namespace BookBytes.Internal.Http;

/// <summary>
/// The logging an adapter's named <see cref="HttpClient"/> does by default: none from <c>System.Net.Http.HttpClient.*</c>
/// (four Information lines per request, and a stack trace per failed one) and Polly's events of the adapter's resilience
/// pipeline at Debug (an attempt, a retry, a time-out each log a stack trace otherwise, at Warning or Error). The adapter
/// logs one Warning per failed call itself, with the cause; the stack trace is left to Debug.
/// </summary>
/// <remarks>Compiled into each HTTP adapter package (adapters do not depend on each other).</remarks>
internal static class AdapterHttpLogging
{
    /// <summary>The start of every BookBytes client name, hence of the name of its resilience pipeline.</summary>
    public const string ClientNamePrefix = "BookBytes.";

    /// <summary>
    /// Removes the <see cref="IHttpClientFactory"/> loggers from <paramref name="client"/> and lowers the Polly telemetry of
    /// every BookBytes client's pipeline to Debug; other pipelines of the application keep their severities.
    /// </summary>
    /// <param name="client">The named client; its name starts with <see cref="ClientNamePrefix"/>.</param>
    /// <returns>The same client builder.</returns>
    public static IHttpClientBuilder UseAdapterLogging(this IHttpClientBuilder client)
    {
        client.RemoveAllLoggers();
        client.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<TelemetryOptions>, QuietPipelines>());
        return client;
    }

    /// <summary>Whether a resilience pipeline belongs to a BookBytes client.</summary>
    public static bool IsAdapterPipeline(string? pipelineName)
        => pipelineName is not null && pipelineName.StartsWith(ClientNamePrefix, StringComparison.Ordinal);

    /// <summary>
    /// Post-configures the shared <see cref="TelemetryOptions"/> (Polly reads one for every pipeline it builds from DI), so
    /// a severity the application set for its own pipelines still applies to them.
    /// </summary>
    private sealed class QuietPipelines : IPostConfigureOptions<TelemetryOptions>
    {
        public void PostConfigure(string? name, TelemetryOptions options)
        {
            var previous = options.SeverityProvider;
            options.SeverityProvider = args => IsAdapterPipeline(args.Source.PipelineName)
                ? (args.Event.Severity == ResilienceEventSeverity.None ? ResilienceEventSeverity.None : ResilienceEventSeverity.Debug)
                : previous?.Invoke(args) ?? args.Event.Severity;
        }
    }
}
