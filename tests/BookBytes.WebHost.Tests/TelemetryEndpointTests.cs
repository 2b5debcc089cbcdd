using System.Diagnostics;
using System.Net;
using BookBytes.WebHost.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace BookBytes.WebHost.Tests;

/// <summary>Who may scrape <c>/metrics</c>, turning it off, and which database spans are kept.</summary>
public sealed class TelemetryEndpointTests
{
    [Fact]
    public async Task With_api_keys_on_the_scrape_needs_no_key_like_the_health_probes()
    {
        using var host = new BookBytesHost(worker: false, store: "InMemory", settings: new Dictionary<string, string?> { ["BookBytes:Host:ApiKeys:0"] = "a-key-of-this-node" });
        using var client = host.CreateClient();

        var scrape = await client.GetAsync("/metrics");
        var api = await client.GetAsync("/api/v1/audiobooks");

        scrape.StatusCode.Should().Be(HttpStatusCode.OK);
        (await scrape.Content.ReadAsStringAsync()).Should().Contain("bookbytes_jobs_pending");
        api.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Metrics_Prometheus_false_turns_the_scrape_off()
    {
        using var host = new BookBytesHost(worker: false, store: "InMemory", settings: new Dictionary<string, string?> { ["BookBytes:Host:Metrics:Prometheus"] = "false" });
        using var client = host.CreateClient();

        var scrape = await client.GetAsync("/metrics");

        scrape.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public void A_database_span_outside_any_trace_is_dropped_and_one_inside_a_job_is_kept()
    {
        // Names of this test's own: sources are process-wide, and other tests' hosts listen to theirs.
        using var database = new ActivitySource("Test.Database." + Guid.NewGuid().ToString("N"));
        using var work = new ActivitySource("Test.Work." + Guid.NewGuid().ToString("N"));
        var exported = new SpanLog();
        using (var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(database.Name, work.Name)
            .AddProcessor(new DetachedDatabaseSpanFilter(database.Name))
            .AddInMemoryExporter(exported)
            .Build())
        {
            using (database.StartActivity("claim poll"))
            {
            }

            using (work.StartActivity("job"))
            using (database.StartActivity("heartbeat"))
            {
            }
        }

        exported.Snapshot().Select(s => s.OperationName).Should().BeEquivalentTo("job", "heartbeat");
    }
}
