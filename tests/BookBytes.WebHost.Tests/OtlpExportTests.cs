using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace BookBytes.WebHost.Tests;

/// <summary>OTLP over HTTP/protobuf to a receiver on loopback, configured by the standard variables alone.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task With_the_otlp_endpoint_set_traces_are_posted_to_it_as_protobuf()
    {
        var received = new ConcurrentQueue<(string Path, string? ContentType, long Bytes)>();
        await using var receiver = await StartReceiverAsync(received);
        using var host = new BookBytesHost(worker: false, store: "InMemory", settings: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Urls.First(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        });
        using var client = host.CreateClient();

        (await client.GetAsync("/api/v1/audiobooks")).EnsureSuccessStatusCode();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!received.Any(r => r.Path == "/v1/traces") || !received.Any(r => r.Path == "/v1/metrics"))
        {
            await Task.Delay(50, cts.Token);
        }

        received.Where(r => r.Path is "/v1/traces" or "/v1/metrics").Should().OnlyContain(r => r.ContentType == "application/x-protobuf" && r.Bytes > 0);
    }

    private static async Task<WebApplication> StartReceiverAsync(ConcurrentQueue<(string, string?, long)> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path.Value!, context.Request.ContentType, body.Length));
            // An empty Export*ServiceResponse message: zero bytes of protobuf.
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        return app;
    }
}
