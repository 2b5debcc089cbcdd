using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace BookBytes.WebHost.Tests;

/// <summary>The host around the API: no providers, API keys, rate limit, health, OpenAPI, the page.</summary>
public sealed class HostTests
{
    [Fact]
    public async Task Without_providers_lookups_work_and_processing_is_503_naming_the_keys()
    {
        using var host = new NoProvidersHost();
        var client = host.CreateClient();

        var lookup = await client.GetAsync($"/api/v1/books/isbn/{FakeOpenLibrary.FantasticMrFox}");
        var process = await client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.FantasticMrFox });
        var ready = await client.GetAsync("/health/ready");

        lookup.StatusCode.Should().Be(HttpStatusCode.OK);
        var problem = await process.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "PROVIDER_NOT_CONFIGURED");
        problem.GetProperty("detail").GetString().Should().Contain("BookBytes:OpenAI:ApiKey").And.Contain("BookBytes:OpenAI:Endpoint");
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        var health = await ready.JsonAsync();
        health.GetProperty("status").GetString().Should().Be("Degraded");
        health.GetProperty("checks").GetProperty("providers").GetProperty("status").GetString().Should().Be("Degraded");
        health.GetProperty("checks").GetProperty("store").GetProperty("status").GetString().Should().Be("Healthy");
        health.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString().Should().Be("Healthy");
    }

    [Fact]
    public async Task A_failed_attempt_waiting_for_its_retry_says_why_and_when_it_is_tried_again()
    {
        using var host = BookBytesHost.WithFailingSummariesOfLePetitPrince();
        var client = host.CreateClient();
        var started = await (await client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.LePetitPrince })).JsonAsync();
        var jobId = started.GetProperty("jobId").GetGuid();

        var waiting = await WaitAsync(client, jobId, j => j.GetProperty("status").GetString() == "Pending" && j.GetProperty("attempt").GetInt32() == 1);

        waiting.GetProperty("errorCode").GetString().Should().Be("CHAPTERS_FAILED");
        waiting.GetProperty("errorMessage").GetString().Should().Contain("503");
        waiting.GetProperty("rescues").GetInt32().Should().Be(0);
        waiting.GetProperty("nextAttemptAt").GetDateTimeOffset().Should().BeAfter(DateTimeOffset.UtcNow.AddMinutes(7), "the first retry waits RetryBaseDelay (10 min, ±20 %)");
    }

    private static async Task<System.Text.Json.JsonElement> WaitAsync(HttpClient client, Guid jobId, Func<System.Text.Json.JsonElement, bool> until)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var job = await (await client.GetAsync($"/api/v1/jobs/{jobId}", timeout.Token)).JsonAsync();
            if (until(job))
            {
                return job;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    [Fact]
    public void A_node_without_providers_runs_no_worker_even_when_the_worker_is_enabled()
    {
        using var host = new BookBytesHost(providers: false, worker: true, settings: BookBytesHost.NoLocalSpeech);
        _ = host.CreateClient();

        host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Should().NotContain(
            s => s.GetType().FullName == "BookBytes.Pipeline.Jobs.JobRunner",
            "it would claim jobs (other nodes' too, in a shared store) and fail each one for want of a provider");
    }

    [Fact]
    public async Task With_api_keys_the_api_needs_x_api_key_and_health_stays_open()
    {
        using var host = new BookBytesHost(worker: false, store: "InMemory", settings: new Dictionary<string, string?>
        {
            ["BookBytes:Host:ApiKeys:0"] = "first-key",
            ["BookBytes:Host:ApiKeys:1"] = "second-key",
        });
        var client = host.CreateClient();

        var missing = await client.GetAsync("/api/v1/audiobooks");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audiobooks") { Headers = { { "X-Api-Key", "second-kez" } } };
        var wrongResponse = await client.SendAsync(wrong);
        using var right = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audiobooks") { Headers = { { "X-Api-Key", "second-key" } } };
        var rightResponse = await client.SendAsync(right);
        var live = await client.GetAsync("/health/live");

        await missing.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await wrongResponse.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        rightResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        live.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Posts_over_the_rate_limit_are_429()
    {
        using var host = new BookBytesHost(worker: false, store: "InMemory", settings: new Dictionary<string, string?>
        {
            ["BookBytes:Host:RateLimit:PermitLimit"] = "2",
            ["BookBytes:Host:RateLimit:Window"] = "00:10:00",
        });
        var client = host.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.PostJsonAsync("/api/v1/books/process", new { editionId = Guid.NewGuid() })).StatusCode);
        }

        var limited = await client.PostJsonAsync("/api/v1/books/process", new { editionId = Guid.NewGuid() });
        var reads = await client.GetAsync("/api/v1/audiobooks");

        statuses.Should().Equal(HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests);
        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        limited.Headers.RetryAfter.Should().NotBeNull();
        reads.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Estimates_have_ten_times_the_posts_rate_limit_in_a_window_of_their_own()
    {
        using var host = new BookBytesHost(worker: false, store: "InMemory", settings: new Dictionary<string, string?>
        {
            ["BookBytes:Host:RateLimit:PermitLimit"] = "2",
            ["BookBytes:Host:RateLimit:Window"] = "00:10:00",
        });
        var client = host.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            statuses.Add((await client.PostJsonAsync("/api/v1/books/estimate", new { editionId = Guid.NewGuid() })).StatusCode);
        }

        var process = await client.PostJsonAsync("/api/v1/books/process", new { editionId = Guid.NewGuid() });

        statuses.Take(20).Should().OnlyContain(s => s == HttpStatusCode.NotFound);
        statuses[20].Should().Be(HttpStatusCode.TooManyRequests);
        process.StatusCode.Should().Be(HttpStatusCode.NotFound, "estimates do not spend the window of the POSTs that start work");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")] // a blank entry leaves the API open, and must not turn on per-key windows either
    public async Task A_made_up_api_key_does_not_buy_a_fresh_rate_limit_window_when_keys_are_off(string? configuredKey)
    {
        using var host = new BookBytesHost(worker: false, store: "InMemory", settings: new Dictionary<string, string?>
        {
            ["BookBytes:Host:RateLimit:PermitLimit"] = "2",
            ["BookBytes:Host:RateLimit:Window"] = "00:10:00",
            ["BookBytes:Host:ApiKeys:0"] = configuredKey,
        });
        var client = host.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/books/process")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { editionId = Guid.NewGuid() }),
            };
            request.Headers.Add("X-Api-Key", $"invented-{i}");
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }

        statuses.Should().Equal(HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public void An_invalid_rate_limit_fails_the_host_at_start_naming_the_key()
    {
        var act = () =>
        {
            using var host = new BookBytesHost(worker: false, store: "InMemory", settings: new Dictionary<string, string?>
            {
                ["BookBytes:Host:RateLimit:PermitLimit"] = "-1",
            });
            host.CreateClient();
        };

        act.Should().Throw<Exception>().Where(e => e.ToString().Contains("PermitLimit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readiness_probes_storage_at_most_once_per_cache_period()
    {
        var storage = new BookBytes.Testing.Fakes.InMemoryStorageBackend();
        using var host = new BookBytesHost(worker: false, store: "InMemory");
        using var factory = host.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<BookBytes.Storage.IStorageBackend>(storage)));
        var client = factory.CreateClient();

        var first = await client.GetAsync("/health/ready");
        var second = await client.GetAsync("/health/ready");

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        storage.Saves.Should().Be(1, "the second call reuses the probe's answer");
        storage.Objects.Should().BeEmpty("the probe object is deleted");
    }

    [Fact]
    public async Task Health_openapi_scalar_and_the_page_are_served()
    {
        using var host = new ApiOnlyHost();
        var client = host.CreateClient();

        var live = await client.GetAsync("/health/live");
        var ready = await (await client.GetAsync("/health/ready")).JsonAsync();
        var openApi = await (await client.GetAsync("/openapi/v1.json")).JsonAsync();
        var scalar = await client.GetAsync("/scalar/v1");
        var page = await client.GetStringAsync("/");
        var script = await client.GetAsync("/app.js");

        live.StatusCode.Should().Be(HttpStatusCode.OK);
        ready.GetProperty("status").GetString().Should().Be("Healthy");
        ready.GetProperty("checks").PropertyNames().Should().BeEquivalentTo("store", "storage", "providers");
        var paths = openApi.GetProperty("paths").PropertyNames();
        paths.Should().Contain([
            "/api/v1/books/process", "/api/v1/books/estimate", "/api/v1/books/{audioBookId}/refresh", "/api/v1/jobs/{jobId}", "/api/v1/jobs/{jobId}/events",
            "/api/v1/books/isbn/{isbn}", "/api/v1/audiobooks", "/api/v1/audiobooks/{id}", "/api/v1/audiobooks/{id}/chapters/{number}/audio"]);
        openApi.GetProperty("components").GetProperty("schemas").GetProperty("ProcessRequest").GetProperty("examples")[0]
            .GetProperty("isbn").GetString().Should().NotBeNullOrEmpty();
        var schemas = openApi.GetProperty("components").GetProperty("schemas");
        schemas.GetProperty("ProcessRequest").GetProperty("properties").GetProperty("mode").GetProperty("enum").EnumerateArray()
            .Where(v => v.ValueKind == System.Text.Json.JsonValueKind.String).Select(v => v.GetString()).Should().Equal("summary", "narration");
        schemas.GetProperty("ProcessRequest").GetProperty("properties").GetProperty("chapters").GetProperty("maxItems").GetInt32().Should().Be(2000);
        schemas.GetProperty("AudioBookResponse").GetProperty("properties").GetProperty("grounding").GetProperty("enum").EnumerateArray()
            .Select(v => v.GetString()).Should().BeEquivalentTo("text", "model");
        schemas.GetProperty("EstimateResponse").GetProperty("properties").PropertyNames().Should().Contain(["cost", "currency", "notes", "speechCharacters"]);
        scalar.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Should().Contain("<title>BookBytes</title>");
        script.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
