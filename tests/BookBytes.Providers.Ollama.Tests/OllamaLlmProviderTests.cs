using System.Text.Json;
using BookBytes.Llm;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace BookBytes.Providers.Ollama.Tests;

public sealed class OllamaLlmProviderTests : IDisposable
{
    private const string ChatPath = "/api/chat";

    private static readonly BookContext Book = new(
        "Thinking, Fast and Slow",
        ["Daniel Kahneman"],
        "en",
        Description: "Two systems that drive the way we think.",
        SummaryWords: 450);

    private readonly OllamaTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Outline_posts_Ollamas_native_chat_request_with_the_schema_as_format_and_returns_the_chapters()
    {
        RespondWith(200, OllamaResponses.Outline(true, "The Characters of the Story", "Attention and Effort", "The Lazy Controller"));
        var provider = _host.Get<ILlmProvider>();

        var outline = await provider.OutlineAsync(Book);

        outline.Known.Should().BeTrue();
        outline.Chapters.Should().Equal(
            new ChapterHeading(1, "The Characters of the Story"),
            new ChapterHeading(2, "Attention and Effort"),
            new ChapterHeading(3, "The Lazy Controller"));
        outline.Usage.Should().Be(new LlmUsage(120, 45), "prompt_eval_count and eval_count are the usage");
        var request = _host.Requests.Should().ContainSingle().Subject;
        request.RequestMessage.Path.Should().Be(ChatPath);
        request.RequestMessage.Method.Should().Be("POST");
        var body = OllamaTestHost.Body(request);
        body.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(
            ["model", "messages", "options", "format", "stream", "CustomHeaders"],
            "OllamaSharp 5.5.2 also serialises its request's CustomHeaders (empty); Ollama ignores unknown fields");
        body.GetProperty("model").GetString().Should().Be("llama3.2");
        body.GetProperty("stream").GetBoolean().Should().BeFalse();
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        messages.Select(m => m.GetProperty("role").GetString()).Should().Equal("system", "user");
        messages[1].GetProperty("content").GetString().Should().Contain("Thinking, Fast and Slow")
            .And.Contain("Daniel Kahneman")
            .And.Contain("Two systems that drive the way we think.");
        var format = body.GetProperty("format");
        format.ValueKind.Should().Be(JsonValueKind.Object, "Ollama takes the JSON schema itself as format");
        format.GetProperty("type").GetString().Should().Be("object");
        format.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("known", "chapters");
        format.GetProperty("additionalProperties").GetBoolean().Should().BeFalse();
        body.TryGetProperty("options", out var options).Should().BeTrue();
        options.TryGetProperty("num_predict", out _).Should().BeFalse("MaxOutputTokens is not set");
    }

    [Fact]
    public async Task Outline_of_an_unknown_book_returns_known_false()
    {
        RespondWith(200, OllamaResponses.Chat("""{"known":false,"chapters":[]}""", promptEvalCount: 80, evalCount: 9));
        var provider = _host.Get<ILlmProvider>();

        var outline = await provider.OutlineAsync(Book with { Title = "A Book Nobody Wrote" });

        outline.Known.Should().BeFalse();
        outline.Chapters.Should().BeEmpty();
        outline.Usage.Should().Be(new LlmUsage(80, 9));
    }

    [Fact]
    public async Task Summary_sends_the_chapter_with_its_schema_and_returns_the_text_with_usage()
    {
        RespondWith(200, OllamaResponses.Chat(JsonSerializer.Serialize(new { summary = "Kahneman opens with two characters.\n\n\n\nSystem 1 is fast." }), promptEvalCount: 300, evalCount: 420));
        var provider = _host.Get<ILlmProvider>();

        var summary = await provider.SummarizeChapterAsync(Book with { Language = "de" }, new ChapterHeading(2, "Attention and Effort"));

        summary.Text.Should().Be("Kahneman opens with two characters.\n\nSystem 1 is fast.");
        summary.Usage.Should().Be(new LlmUsage(300, 420));
        var body = OllamaTestHost.Body(_host.Requests.Single());
        body.GetProperty("stream").GetBoolean().Should().BeFalse();
        body.GetProperty("format").GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("summary");
        body.GetProperty("format").GetProperty("additionalProperties").GetBoolean().Should().BeFalse();
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        messages.Select(m => m.GetProperty("role").GetString()).Should().Equal("system", "user");
        messages[1].GetProperty("content").GetString().Should().Contain("Attention and Effort")
            .And.Contain("chapter 2")
            .And.Contain("450 words")
            .And.Contain("German")
            .And.Contain("Thinking, Fast and Slow");
    }

    [Fact]
    public async Task MaxOutputTokens_is_sent_as_num_predict()
    {
        using var host = new OllamaTestHost(o => o.MaxOutputTokens = 900);
        host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(200, OllamaResponses.Summary("Plain words.")));
        var provider = host.Get<ILlmProvider>();

        await provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        OllamaTestHost.Body(host.Requests.Single()).GetProperty("options").GetProperty("num_predict").GetInt32().Should().Be(900);
    }

    [Fact]
    public async Task The_configured_model_is_asked_for()
    {
        using var host = new OllamaTestHost(o => o.Model = "qwen2.5:7b");
        host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(200, OllamaResponses.Summary("Plain words.")));
        var provider = host.Get<ILlmProvider>();

        await provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        OllamaTestHost.Body(host.Requests.Single()).GetProperty("model").GetString().Should().Be("qwen2.5:7b");
    }

    [Fact]
    public async Task An_answer_cut_off_at_the_token_limit_is_a_transient_ProviderResponseException()
    {
        RespondWith(200, OllamaResponses.Chat("""{"summary":"In this chapter the au""", doneReason: "length"));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Message.Should().Contain("cut off");
    }

    [Fact]
    public async Task Malformed_json_content_is_a_transient_ProviderResponseException()
    {
        RespondWith(200, OllamaResponses.Chat("""{"known": true, "chapters": [{"number": 1, "title": "One"}"""));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Message.Should().Contain("not valid JSON");
    }

    [Fact]
    public async Task A_response_body_that_is_not_json_is_a_transient_ProviderResponseException()
    {
        _host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody("<html>proxy</html>"));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        (await act.Should().ThrowAsync<ProviderResponseException>()).Which.IsTransient.Should().BeTrue();
    }

    [Fact]
    public async Task Server_errors_are_retried_MaxRetries_times_then_fail_as_transient_with_Ollamas_message()
    {
        RespondWith(500, OllamaResponses.Error("llama runner process has terminated: signal: killed"));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.StatusCode.Should().Be(500);
        thrown.Message.Should().Contain("llama runner process has terminated").And.Contain(_host.Server.Url);
        _host.Requests.Should().HaveCount(new OllamaOptions().MaxRetries + 1);
    }

    [Fact]
    public async Task MaxRetries_zero_makes_a_single_attempt()
    {
        using var host = new OllamaTestHost(o => o.MaxRetries = 0);
        host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(503, OllamaResponses.Error("server busy")));
        var provider = host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        (await act.Should().ThrowAsync<ProviderException>()).Which.StatusCode.Should().Be(503);
        host.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_429_with_Retry_After_that_persists_reports_the_wait()
    {
        using var host = new OllamaTestHost(o => o.MaxRetries = 0);
        host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(429, OllamaResponses.Error("too many requests")).WithHeader("Retry-After", "7"));
        var provider = host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.StatusCode.Should().Be(429);
        thrown.RetryAfter.Should().Be(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task An_unknown_model_is_a_non_transient_failure_naming_BookBytes_Ollama_Model()
    {
        RespondWith(404, OllamaResponses.Error("model \"llama3.2\" not found, try pulling it first"));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.StatusCode.Should().Be(404);
        thrown.Message.Should().Contain("BookBytes:Ollama:Model")
            .And.Contain("ollama pull")
            .And.Contain("BookBytes:Ollama:Endpoint")
            .And.Contain("not found, try pulling it first");
        _host.Requests.Should().ContainSingle("a 404 is not retried");
    }

    [Fact]
    public async Task A_400_is_a_non_transient_failure_with_Ollamas_message()
    {
        RespondWith(400, OllamaResponses.Error("invalid format: expected \"json\" or a JSON schema"));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.StatusCode.Should().Be(400);
        thrown.Message.Should().Contain("invalid format");
        _host.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_server_that_is_not_running_is_a_transient_failure_saying_Ollama_is_not_reachable()
    {
        var endpoint = new Uri($"http://127.0.0.1:{OllamaTestHost.ClosedPort()}");
        using var host = new OllamaTestHost(o => o.Endpoint = endpoint);
        var provider = host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.StatusCode.Should().BeNull();
        thrown.Message.Should().Contain("not reachable").And.Contain(endpoint.Authority).And.Contain("BookBytes:Ollama:Endpoint");
    }

    [Fact]
    public async Task An_attempt_that_times_out_fails_as_transient()
    {
        using var host = new OllamaTestHost(o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(200);
            o.MaxRetries = 0;
        });
        host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(200, OllamaResponses.Outline(true, "One")).WithDelay(TimeSpan.FromSeconds(3)));
        var provider = host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Message.Should().Contain("timed out").And.Contain("BookBytes:Ollama:Timeout");
    }

    [Fact]
    public async Task Cancelling_the_caller_token_throws_OperationCanceledException_not_a_provider_error()
    {
        _host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(200, OllamaResponses.Outline(true, "One")).WithDelay(TimeSpan.FromSeconds(3)));
        var provider = _host.Get<ILlmProvider>();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var act = () => provider.OutlineAsync(Book, cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task An_endpoint_with_a_path_prefix_keeps_it()
    {
        using var host = new OllamaTestHost();
        using var prefixed = new OllamaTestHost(o => o.Endpoint = new Uri(host.Server.Url + "/ollama"));
        prefixed.Server.Stop();
        host.Server.Given(Request.Create().WithPath("/ollama/api/chat").UsingPost()).RespondWith(Json(200, OllamaResponses.Summary("Plain words.")));
        var provider = prefixed.Get<ILlmProvider>();

        var summary = await provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        summary.Text.Should().Be("Plain words.");
        host.Requests.Should().ContainSingle().Which.RequestMessage.Path.Should().Be("/ollama/api/chat");
    }

    [Fact]
    public async Task An_error_object_in_a_successful_answer_is_a_transient_ProviderResponseException()
    {
        RespondWith(200, OllamaResponses.Error("an error was encountered while running the model"));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        // OllamaSharp 5.5.2 does not read the error object of a chat answer: it finds no "done": true line.
        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Message.Should().Contain("incomplete").And.Contain(_host.Server.Url);
    }

    [Fact]
    public async Task A_json_answer_wrapped_in_a_markdown_fence_is_accepted()
    {
        RespondWith(200, OllamaResponses.Chat("```json\n{\"summary\": \"Plain words.\"}\n```"));
        var provider = _host.Get<ILlmProvider>();

        var summary = await provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        summary.Text.Should().Be("Plain words.");
    }

    private static IResponseBuilder Json(int status, string body)
        => Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    private void RespondWith(int status, string body)
        => _host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(status, body));
}
