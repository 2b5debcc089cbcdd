using System.Text.Json;

namespace BookBytes.WebHost.Tests.OpenApi;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) tells the truth: it lints clean with Redocly's recommended rules, and a
/// TypeScript client generated from it by openapi-typescript type-checks a small usage file (<c>usage.ts</c>) under
/// <c>tsc --strict</c>, on a node with and without API keys.
/// </summary>
public sealed class OpenApiDocumentTests
{
    private const string FeedSecret = "a-feed-secret-for-the-tests-0123456789";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_document_has_no_lint_errors_under_the_recommended_rules(bool apiKeys)
    {
        using var directory = new TempDirectory();
        var document = Path.Combine(directory.Path, "openapi.json");
        await File.WriteAllTextAsync(document, await DocumentTextAsync(apiKeys));

        var (exitCode, output, error) = await NodeTools.RunAsync(
            "@redocly/cli/bin/cli.js", directory.Path, "lint", document, "--format=json", "--config", Path.Combine(NodeTools.ToolsDirectory, "redocly.yaml"));

        var report = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]).RootElement;
        var errors = report.GetProperty("problems").EnumerateArray()
            .Where(p => p.GetProperty("severity").GetString() == "error")
            .Select(p => $"{p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()}")
            .ToList();
        errors.Should().BeEmpty();
        report.GetProperty("totals").GetProperty("errors").GetInt32().Should().Be(0);
        exitCode.Should().Be(0, error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_typescript_client_generated_from_the_document_type_checks_the_usage_file(bool apiKeys)
    {
        using var directory = new TempDirectory();
        var document = Path.Combine(directory.Path, "openapi.json");
        await File.WriteAllTextAsync(document, await DocumentTextAsync(apiKeys));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "OpenApi", "usage.ts"), Path.Combine(directory.Path, "usage.ts"));

        var generated = await NodeTools.RunAsync("openapi-typescript/bin/cli.js", directory.Path, document, "--output", "bookbytes-api.d.ts");
        var checkedUsage = await NodeTools.RunAsync(
            "typescript/bin/tsc", directory.Path, "--noEmit", "--strict", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler", "usage.ts");

        generated.ExitCode.Should().Be(0, generated.Error);
        checkedUsage.ExitCode.Should().Be(0, checkedUsage.Output + checkedUsage.Error);
    }

    [Fact]
    public async Task A_process_request_needs_exactly_one_of_edition_id_and_isbn_and_nothing_else()
    {
        var schemas = (await DocumentAsync(apiKeys: false)).GetProperty("components").GetProperty("schemas");

        var request = schemas.GetProperty("ProcessRequest");

        request.TryGetProperty("required", out var required).Should().BeFalse(required.ToString());
        var branches = request.GetProperty("oneOf").EnumerateArray().Select(b => b.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Single()).ToList();
        branches.Should().BeEquivalentTo("editionId", "isbn");
        var example = request.GetProperty("examples")[0];
        example.TryGetProperty("editionId", out _).Should().NotBe(example.TryGetProperty("isbn", out _), "the example gives exactly one of them");
        schemas.GetProperty("RefreshRequest").TryGetProperty("required", out _).Should().BeFalse("an empty refresh body is accepted");
        schemas.GetProperty("PackagingRequest").TryGetProperty("required", out _).Should().BeFalse("an empty packaging body is accepted");
    }

    [Fact]
    public async Task Numbers_are_typed_as_numbers_only()
    {
        var document = await DocumentAsync(apiKeys: false);

        var progress = document.GetProperty("components").GetProperty("schemas").GetProperty("JobResponse").GetProperty("properties").GetProperty("progress");

        progress.GetProperty("type").GetString().Should().Be("integer");
        progress.TryGetProperty("pattern", out _).Should().BeFalse();
        var mixed = Schemas(document).Where(s => s.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array
            && type.EnumerateArray().Select(t => t.GetString()).ToList() is var types
            && types.Contains("string") && (types.Contains("integer") || types.Contains("number"))).ToList();
        mixed.Should().BeEmpty("a number is never also a string");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task The_api_key_scheme_and_401_are_described_exactly_when_keys_are_configured(bool apiKeys, bool feedSecret)
    {
        var document = await DocumentAsync(apiKeys, feedSecret);

        var schemes = document.TryGetProperty("components", out var components) && components.TryGetProperty("securitySchemes", out var s) ? s : default;
        var operations = Operations(document).ToList();
        if (!apiKeys)
        {
            schemes.ValueKind.Should().Be(JsonValueKind.Undefined);
            operations.Where(o => Answers(o, "401")).Should().BeEmpty("an open node never answers 401");
            return;
        }

        var key = schemes.GetProperty("ApiKey");
        key.GetProperty("type").GetString().Should().Be("apiKey");
        key.GetProperty("in").GetString().Should().Be("header");
        key.GetProperty("name").GetString().Should().Be("X-Api-Key");
        document.GetProperty("security")[0].GetProperty("ApiKey").GetArrayLength().Should().Be(0);
        operations.Where(o => !Answers(o, "401")).Should().BeEmpty("every operation needs the key");
        schemes.TryGetProperty("FeedToken", out var token).Should().Be(feedSecret);
        if (feedSecret)
        {
            token.GetProperty("in").GetString().Should().Be("query");
            token.GetProperty("name").GetString().Should().Be("token");
            var feed = operations.Single(o => o.Id == "GetAudioBookFeed").Operation;
            feed.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Should().BeEquivalentTo("ApiKey", "FeedToken");
        }
    }

    [Fact]
    public async Task Problems_carry_code_trace_id_errors_and_the_conflicts_ids_and_every_operation_answers_them()
    {
        var document = await DocumentAsync(apiKeys: false);
        var schemas = document.GetProperty("components").GetProperty("schemas");

        foreach (var name in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
        {
            var problem = schemas.GetProperty(name);
            problem.GetProperty("properties").PropertyNames().Should().Contain(["code", "traceId", "errors", "audioBookId", "jobId"], name);
            problem.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Should().Contain(["code", "traceId"], name);
        }

        foreach (var (id, operation) in Operations(document))
        {
            var responses = operation.GetProperty("responses");
            responses.TryGetProperty("500", out _).Should().BeTrue(id);
            foreach (var response in responses.EnumerateObject().Where(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture) >= 400))
            {
                response.Value.GetProperty("content").PropertyNames().Should().Equal(["application/problem+json"], $"{id} {response.Name}");
            }
        }
    }

    [Fact]
    public async Task Posts_answer_413_415_and_429_and_their_202_has_a_location()
    {
        var document = await DocumentAsync(apiKeys: false);

        var posts = Operations(document).Where(o => o.Method == "post").ToList();

        posts.Should().HaveCount(6, "process, upload, estimate, refresh, package and cancel");
        foreach (var (id, post) in posts)
        {
            // A body too large is refused before any route (413); only an operation that reads a body can refuse its media type (415).
            post.GetProperty("responses").PropertyNames().Should().Contain(id == "CancelJob" ? ["400", "413", "429"] : ["400", "413", "415", "429"], id);
        }

        foreach (var id in new[] { "ProcessBook", "RefreshAudioBook", "PackageAudioBook" })
        {
            posts.Single(p => p.Id == id).Operation.GetProperty("responses").GetProperty("202").GetProperty("headers").GetProperty("Location")
                .GetProperty("schema").GetProperty("type").GetString().Should().Be("string", id);
        }
    }

    [Theory]
    [InlineData("GetChapterAudio", "audio/mpeg", true)]
    [InlineData("GetAudioBookAudio", "audio/mp4", true)]
    [InlineData("GetAudioBookFeed", "application/rss+xml", false)]
    [InlineData("GetChapterTranscript", "text/vtt", false)]
    [InlineData("GetAudioBookCover", "image/jpeg", false)]
    public async Task The_file_endpoints_name_their_media_types_and_the_ranged_ones_206_and_416(string operationId, string mediaType, bool ranged)
    {
        var document = await DocumentAsync(apiKeys: false);

        var responses = Operations(document).Single(o => o.Id == operationId).Operation.GetProperty("responses");

        responses.GetProperty("200").GetProperty("content").PropertyNames().Should().Contain(mediaType);
        responses.TryGetProperty("206", out var partial).Should().Be(ranged);
        responses.TryGetProperty("416", out var unsatisfiable).Should().Be(ranged);
        if (ranged)
        {
            partial.GetProperty("content").PropertyNames().Should().Contain(mediaType);
            unsatisfiable.GetProperty("headers").PropertyNames().Should().Contain("Content-Range");
        }

        Operations(document).Select(o => o.Method).Should().NotContain("head", "HEAD is answered where GET is, and not listed twice");
    }

    private static async Task<string> DocumentTextAsync(bool apiKeys, bool feedSecret = false)
    {
        var settings = new Dictionary<string, string?>();
        if (apiKeys)
        {
            settings["BookBytes:Host:ApiKeys:0"] = "a-key-of-the-tests";
        }

        if (feedSecret)
        {
            settings["BookBytes:Host:FeedSecret"] = FeedSecret;
        }

        using var host = new BookBytesHost(worker: false, store: "InMemory", settings: settings);
        using var client = host.CreateClient();
        return await client.GetStringAsync("/openapi/v1.json");
    }

    private static async Task<JsonElement> DocumentAsync(bool apiKeys, bool feedSecret = false)
        => JsonDocument.Parse(await DocumentTextAsync(apiKeys, feedSecret)).RootElement.Clone();

    private static IEnumerable<OperationEntry> Operations(JsonElement document)
        => document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => new OperationEntry(op.Value.GetProperty("operationId").GetString()!, op.Name, op.Value)));

    private static bool Answers(OperationEntry operation, string status) => operation.Operation.GetProperty("responses").TryGetProperty(status, out _);

    /// <summary>Every schema object in the document, nested ones too.</summary>
    private static IEnumerable<JsonElement> Schemas(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("type", out _))
            {
                yield return element;
            }

            foreach (var property in element.EnumerateObject().Where(p => p.Name is not ("examples" or "example")))
            {
                foreach (var schema in Schemas(property.Value))
                {
                    yield return schema;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var schema in Schemas(item))
                {
                    yield return schema;
                }
            }
        }
    }

    private sealed record OperationEntry(string Id, string Method, JsonElement Operation)
    {
        public void Deconstruct(out string id, out JsonElement operation)
        {
            id = Id;
            operation = Operation;
        }
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("bookbytes-openapi-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
