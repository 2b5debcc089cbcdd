using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;

namespace BookBytes.WebHost.Tests;

/// <summary>A full node whose tracer also exports to memory, as an OTLP collector would receive it.</summary>
public sealed class TracedHost() : BookBytesHost(settings: new Dictionary<string, string?> { ["BookBytes:Host:Metrics:QueueRefreshInterval"] = "00:00:00.100" })
{
    internal SpanLog Spans { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans)));
    }
}

/// <summary>Traces and metrics of a node: one trace per job, and the Prometheus scrape.</summary>
public sealed class TelemetryTests(TracedHost host) : IClassFixture<TracedHost>
{
    private readonly HttpClient _client = host.CreateClient();

    [Fact]
    public async Task A_job_is_one_trace_holding_its_chapters_and_the_provider_calls_under_them()
    {
        var accepted = await (await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.SevenHabits })).JsonAsync();
        var jobId = accepted.GetProperty("jobId").GetGuid();
        var job = await _client.WaitForJobAsync(jobId);
        var root = await JobSpanAsync(jobId);
        var trace = host.Spans.Snapshot().Where(s => s.TraceId == root.TraceId).ToList();
        var byId = trace.ToDictionary(s => s.SpanId);
        var chapters = trace.Where(s => s.Source.Name == "BookBytes" && s.OperationName == "chapter").ToList();
        var calls = trace.Where(s => s.Source.Name == "System.Net.Http" && s.Kind == ActivityKind.Client).ToList();

        job.GetProperty("status").GetString().Should().Be("Completed", job.ToString());
        root.ParentSpanId.Should().Be(default(ActivitySpanId), "the job starts its own trace");
        trace.Where(s => s.ParentSpanId == default).Should().ContainSingle().Which.Should().BeSameAs(root);
        chapters.Should().NotBeEmpty().And.OnlyContain(c => c.ParentSpanId == root.SpanId);
        chapters.Select(c => c.GetTagItem("bookbytes.chapter.number")).Should().OnlyHaveUniqueItems();
        trace.Select(s => s.OperationName).Should().Contain(["llm.summary", "tts.synthesize", "storage.save"]);
        var speech = calls.Where(c => Equals(c.GetTagItem("url.full"), host.OpenAi.Url + FakeOpenAi.SpeechPath)).ToList();
        var summaries = calls.Where(c => byId.TryGetValue(c.ParentSpanId, out var parent) && parent.OperationName == "llm.summary").ToList();
        speech.Should().HaveCountGreaterThanOrEqualTo(chapters.Count, "the provider's HTTP calls run under the job");
        speech.Should().OnlyContain(c => AncestorsOf(c, byId).Select(a => a.OperationName).SequenceEqual(new[] { "tts.synthesize", "chapter", "job" }));
        summaries.Should().HaveCountGreaterThanOrEqualTo(chapters.Count)
            .And.OnlyContain(c => Equals(c.GetTagItem("url.full"), host.OpenAi.Url + FakeOpenAi.ChatPath));
    }

    [Fact]
    public async Task The_scrape_lists_the_job_counters_chapter_durations_and_the_pending_queue_gauges()
    {
        var accepted = await (await _client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.GodelEscherBach })).JsonAsync();
        await _client.WaitForJobAsync(accepted.GetProperty("jobId").GetGuid());

        var response = await _client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        var names = Regex.Matches(text, @"^([a-z_]+)(?:\{[^}]*\})? ", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        names.Should().Contain([
            "bookbytes_jobs_started_total",
            "bookbytes_jobs_completed_total",
            "bookbytes_chapter_duration_seconds_bucket",
            "bookbytes_tts_characters_total",
            "bookbytes_llm_tokens_total",
            "bookbytes_jobs_pending",
            "bookbytes_jobs_oldest_pending_age_seconds",
        ], text);
        text.Should().Contain("job_type=\"AudiobookGeneration\"");
    }

    private async Task<Activity> JobSpanAsync(Guid jobId)
    {
        // The job's span ends just after its outcome is written, which is what the API reports.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (host.Spans.Snapshot().FirstOrDefault(s => s.OperationName == "job" && Equals(s.GetTagItem("bookbytes.job.id"), jobId)) is { } span)
            {
                return span;
            }

            await Task.Delay(20, cts.Token);
        }
    }

    private static IEnumerable<Activity> AncestorsOf(Activity span, Dictionary<ActivitySpanId, Activity> byId)
    {
        for (var current = span; byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            yield return parent;
        }
    }
}
