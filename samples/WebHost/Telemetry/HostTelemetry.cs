using System.Reflection;
using BookBytes.Pipeline.Diagnostics;
using BookBytes.WebHost.Composition;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BookBytes.WebHost.Telemetry;

/// <summary>
/// OpenTelemetry for the host: the library's <c>BookBytes</c> activity source and meter, ASP.NET Core and
/// <see cref="HttpClient"/> instrumentation, Npgsql's spans on the PostgreSQL store, the pending-queue gauges, OTLP export
/// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set and the Prometheus scrape at <c>GET /metrics</c>.
/// </summary>
internal static class HostTelemetry
{
    public const string DefaultServiceName = "bookbytes";
    public const string ScrapePath = "/metrics";
    public const string PrometheusKey = HostSettings.SectionName + ":Metrics:Prometheus";

    /// <summary>Registers the host's tracing and metrics.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration (environment variables included).</param>
    /// <param name="store">The job store chosen (<c>PostgreSql</c> adds Npgsql's spans).</param>
    public static void AddHostTelemetry(this IServiceCollection services, IConfiguration configuration, string store)
    {
        services.AddHostedService(sp => sp.GetRequiredService<JobQueueGauges>());
        services.AddSingleton<JobQueueGauges>();

        var postgres = string.Equals(store, "PostgreSql", StringComparison.OrdinalIgnoreCase);
        var serviceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } named ? named : DefaultServiceName;
        var version = typeof(HostTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: version))
            .WithTracing(tracing =>
            {
                tracing.AddSource(BookBytesDiagnostics.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsScrapeOrProbe(context.Request.Path))
                    .AddHttpClientInstrumentation();
                if (postgres)
                {
                    tracing.AddProcessor(new DetachedDatabaseSpanFilter("Npgsql")).AddNpgsql();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(BookBytesDiagnostics.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (PrometheusEnabled(configuration))
                {
                    metrics.AddPrometheusExporter();
                }
            });

        // The standard OTEL_EXPORTER_OTLP_* variables (endpoint, protocol, headers) configure the exporter; unset, nothing is sent.
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
    }

    /// <summary>Maps <c>GET /metrics</c> when the Prometheus scrape is on.</summary>
    /// <param name="app">The application.</param>
    public static void MapHostTelemetry(this WebApplication app)
    {
        if (PrometheusEnabled(app.Configuration))
        {
            app.MapPrometheusScrapingEndpoint(ScrapePath);
        }
    }

    private static bool PrometheusEnabled(IConfiguration configuration) => configuration.GetValue(PrometheusKey, defaultValue: true);

    /// <summary>Scrapes and health probes arrive every few seconds: traces of them would drown the requests that matter.</summary>
    private static bool IsScrapeOrProbe(PathString path)
        => path.StartsWithSegments(ScrapePath, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
}
