using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BookBytes.WebHost.Tests;

/// <summary>
/// Every error of every <c>/api</c> route is problem JSON with the host's <c>code</c> and <c>traceId</c>, whatever the method
/// and the Accept header; HEAD is answered where GET is on the file endpoints; a Range of an unknown unit is ignored; and a
/// key put in the query string stays out of the log.
/// </summary>
public sealed class ProblemResponsesTests(ProblemResponsesTests.FinishedBookHost host) : IClassFixture<ProblemResponsesTests.FinishedBookHost>
{
    private static readonly HttpMethod[] Methods = [HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete, HttpMethod.Head];

    [Fact]
    public async Task Every_route_answers_odd_methods_and_media_types_without_a_5xx_and_every_error_is_a_problem_with_a_code()
    {
        using var client = host.CreateClient();
        var patterns = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText!)
            .Where(p => p.StartsWith("/api", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        var paths = patterns.SelectMany(Concrete).Concat(["/api/v1/nope", "/api/v2/books/process", "/api/v1/audiobooks/x/y/z"]).Distinct().ToList();
        var failures = new List<string>();

        foreach (var path in paths)
        {
            foreach (var method in Methods)
            {
                foreach (var variant in new[] { "audio", "text" })
                {
                    using var request = new HttpRequestMessage(method, path);
                    request.Headers.Accept.ParseAdd(variant == "audio" ? "audio/mpeg" : "text/plain");
                    if (variant == "text" && method != HttpMethod.Get && method != HttpMethod.Head)
                    {
                        request.Content = new StringContent("not json", Encoding.UTF8, "text/plain");
                    }

                    using var response = await client.SendAsync(request);
                    var failure = await CheckAsync(method, path, variant, response);
                    if (failure is not null)
                    {
                        failures.Add(failure);
                    }
                }
            }
        }

        patterns.Should().Contain(["/api/v1/audiobooks/{id}/chapters/{number:int}/audio", "/api/v1/books/process"]);
        paths.Count.Should().BeGreaterThan(30);
        failures.Should().BeEmpty();
    }

    [Theory]
    [InlineData("/api/v1/audiobooks")]
    [InlineData("/api/v1/audiobooks/{id}")]
    [InlineData("/api/v1/voices")]
    [InlineData("/api/v1/jobs?status=Completed")]
    public async Task Head_on_a_json_read_gives_its_status_type_and_length_and_no_body(string path)
    {
        var id = await host.AudioBookAsync();
        using var client = host.CreateClient();
        var url = path.Replace("{id}", id.ToString("D"), StringComparison.Ordinal);

        using var get = await client.GetAsync(url);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        var body = await head.Content.ReadAsByteArrayAsync();

        get.StatusCode.Should().Be(HttpStatusCode.OK);
        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        body.Should().BeEmpty();
        head.Content.Headers.ContentLength.Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData("/chapters/1/audio")]
    [InlineData("/chapters/1/transcript.vtt")]
    [InlineData("/feed.xml")]
    [InlineData("/cover")]
    [InlineData("/audio")]
    public async Task Head_is_answered_where_get_is_with_the_same_status_and_headers_and_no_body(string file)
    {
        var id = await host.AudioBookAsync();
        using var client = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var url = $"/api/v1/audiobooks/{id}{file}";

        using var get = await client.GetAsync(url);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        var body = await head.Content.ReadAsByteArrayAsync();

        head.StatusCode.Should().Be(get.StatusCode);
        head.StatusCode.Should().NotBe(HttpStatusCode.MethodNotAllowed);
        head.Content.Headers.ContentType?.MediaType.Should().Be(get.Content.Headers.ContentType?.MediaType);
        body.Should().BeEmpty();
        if (get.StatusCode == HttpStatusCode.OK)
        {
            head.Content.Headers.ContentLength.Should().Be((await get.Content.ReadAsByteArrayAsync()).Length);
        }
    }

    [Fact]
    public async Task Head_on_a_chapters_audio_gives_its_type_length_and_ranges()
    {
        var id = await host.AudioBookAsync();
        using var client = host.CreateClient();

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/audiobooks/{id}/chapters/1/audio"));

        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Content.Headers.ContentType!.MediaType.Should().Be("audio/mpeg");
        head.Content.Headers.ContentLength.Should().Be(host.OpenAi.Audio.Length);
        head.Headers.AcceptRanges.Should().Contain("bytes");
    }

    [Fact]
    public async Task A_range_of_an_unknown_unit_is_ignored_and_the_whole_file_served()
    {
        var id = await host.AudioBookAsync();
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/audiobooks/{id}/chapters/1/audio");
        request.Headers.TryAddWithoutValidation("Range", "items=0-5");

        using var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentRange.Should().BeNull();
        bytes.Should().Equal(host.OpenAi.Audio);
    }

    [Fact]
    public async Task A_byte_range_outside_the_file_is_a_416_problem_that_names_the_length()
    {
        var id = await host.AudioBookAsync();
        using var client = host.CreateClient();
        var length = host.OpenAi.Audio.Length;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/audiobooks/{id}/chapters/1/audio") { Headers = { Range = new RangeHeaderValue(length + 100, length + 200) } };

        using var response = await client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestedRangeNotSatisfiable, "RANGE_NOT_SATISFIABLE");
        response.Content.Headers.ContentRange!.ToString().Should().Be($"bytes */{length}");
        response.Headers.ETag.Should().BeNull("the tag was the audio's, not the problem's");
    }

    [Theory]
    [InlineData("/api/v1/audiobooks/00000000-0000-0000-0000-000000000001/chapters/x/audio", "audio/mpeg", HttpStatusCode.NotFound, "NOT_FOUND")]
    [InlineData("/api/v1/no-such-route", "text/html", HttpStatusCode.NotFound, "NOT_FOUND")]
    [InlineData("/api/v1/jobs/00000000-0000-0000-0000-000000000001/events", "text/event-stream", HttpStatusCode.NotFound, "JOB_NOT_FOUND")]
    public async Task A_client_that_accepts_no_json_still_gets_the_error_as_a_problem(string path, string accept, HttpStatusCode status, string code)
    {
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);

        using var response = await client.SendAsync(request);

        await response.ShouldBeProblemAsync(status, code);
    }

    [Fact]
    public async Task Put_and_a_text_body_are_405_and_415_problems()
    {
        using var client = host.CreateClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/books/process") { Headers = { Accept = { new MediaTypeWithQualityHeaderValue("audio/mpeg") } } };
        using var text = new HttpRequestMessage(HttpMethod.Post, "/api/v1/books/process") { Content = new StringContent("{}", Encoding.UTF8, "text/plain") };
        text.Headers.Accept.ParseAdd("text/plain");

        using var putResponse = await client.SendAsync(put);
        using var textResponse = await client.SendAsync(text);

        await putResponse.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED");
        putResponse.Content.Headers.Allow.Should().Contain("POST");
        await textResponse.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
    }

    [Fact]
    public async Task An_api_key_in_the_query_string_is_refused_and_never_written_to_the_log()
    {
        using var logged = new LoggedHost();
        using var client = logged.CreateClient();

        using var response = await client.GetAsync("/api/v1/audiobooks?X-Api-Key=hunter2-in-the-query&page=1");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        logged.Logs.CategorizedEntries.Should().NotBeEmpty();
        logged.Logs.CategorizedEntries.Where(e => e.Message.Contains("hunter2", StringComparison.Ordinal))
            .Select(e => $"{e.Category} {e.Level}: {e.Message}").Should().BeEmpty();
    }

    private static async Task<string?> CheckAsync(HttpMethod method, string path, string variant, HttpResponseMessage response)
    {
        var what = $"{method} {path} ({variant}) → {(int)response.StatusCode}";
        if ((int)response.StatusCode >= 500)
        {
            return what + ": " + await response.Content.ReadAsStringAsync();
        }

        if ((int)response.StatusCode < 400)
        {
            return null;
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return what + ": " + response.Content.Headers.ContentType;
        }

        if (method == HttpMethod.Head)
        {
            return null;
        }

        var text = await response.Content.ReadAsStringAsync();
        try
        {
            var problem = JsonDocument.Parse(text).RootElement;
            return problem.TryGetProperty("code", out var code) && code.GetString() is { Length: > 0 }
                && problem.TryGetProperty("traceId", out var trace) && trace.GetString() is { Length: > 0 }
                && problem.GetProperty("status").GetInt32() == (int)response.StatusCode
                ? null
                : what + ": " + text;
        }
        catch (JsonException)
        {
            return what + ": " + text;
        }
    }

    /// <summary>The route pattern with its parameters filled in: with values of the right kind, and with malformed ones.</summary>
    private static IEnumerable<string> Concrete(string pattern)
    {
        var good = System.Text.RegularExpressions.Regex.Replace(pattern, "\\{(?<name>[^}:]+)(:[^}]*)?\\}", m => m.Groups["name"].Value switch
        {
            "isbn" => FakeOpenLibrary.Unknown,
            "number" => "1",
            _ => Guid.NewGuid().ToString(),
        });
        var bad = System.Text.RegularExpressions.Regex.Replace(pattern, "\\{[^}]+\\}", "x");
        return [good, bad];
    }

    /// <summary>A full node that makes one audiobook by ISBN, once, for the tests of its files.</summary>
    public sealed class FinishedBookHost : BookBytesHost
    {
        private readonly Lazy<Task<Guid>> _audioBook;

        public FinishedBookHost() => _audioBook = new(MakeAsync);

        public Task<Guid> AudioBookAsync() => _audioBook.Value;

        private async Task<Guid> MakeAsync()
        {
            using var client = CreateClient();
            var accepted = await (await client.PostJsonAsync("/api/v1/books/process", new { isbn = FakeOpenLibrary.FantasticMrFox })).JsonAsync();
            var job = await client.WaitForJobAsync(accepted.GetProperty("jobId").GetGuid());
            job.GetProperty("status").GetString().Should().Be("Completed", job.ToString());
            return accepted.GetProperty("audioBookId").GetGuid();
        }
    }

    /// <summary>An API-only node that requires keys and logs everything, down to Trace, ASP.NET Core's own request lines included.</summary>
    private sealed class LoggedHost() : BookBytesHost(worker: false, store: "InMemory", settings: new Dictionary<string, string?>
    {
        ["BookBytes:Host:ApiKeys:0"] = "the-real-key",
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
    })
    {
        public CapturingLoggerProvider Logs { get; } = new(LogLevel.Trace);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs));
        }
    }
}
