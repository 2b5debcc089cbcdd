using System.Text.Json;
using BookBytes.Llm;
using BookBytes.Testing.Contracts;
using BookBytes.Testing.Fakes;

namespace BookBytes.Providers.Ollama.Tests;

/// <summary>The chat provider contract over Ollama's native <c>/api/chat</c>, and what is Ollama's own.</summary>
public sealed class OllamaLlmProviderTests : LlmProviderContractTests, IDisposable
{
    private const string ChatPath = "/api/chat";

    private OllamaTestHost _host = new();

    protected override ILlmProvider Provider => _host.Get<ILlmProvider>();

    protected override int DefaultMaxRetries => new OllamaOptions().MaxRetries;

    protected override string Endpoint => _host.Server.Url!;

    protected override string ConfiguredModel => "llama3.2";

    protected override int RequestCount => _host.Requests.Count;

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Outline_posts_Ollamas_native_chat_request_with_the_schema_as_format()
    {
        RespondWithOutline(true, "The Characters of the Story", "Attention and Effort", "The Lazy Controller");

        var outline = await Provider.OutlineAsync(Book);

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
        body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).Should().Equal("system", "user");
        var format = body.GetProperty("format");
        format.ValueKind.Should().Be(JsonValueKind.Object, "Ollama takes the JSON schema itself as format");
        format.GetProperty("type").GetString().Should().Be("object");
        format.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("known", "chapters");
        format.GetProperty("additionalProperties").GetBoolean().Should().BeFalse();
        body.TryGetProperty("options", out var options).Should().BeTrue();
        options.TryGetProperty("num_predict", out _).Should().BeFalse("MaxOutputTokens is not set");
    }

    [Fact]
    public async Task Summary_posts_the_summary_schema_as_format_without_streaming()
    {
        RespondWithSummary("Plain words.");

        await Provider.SummarizeChapterAsync(Book, new ChapterHeading(2, "Attention and Effort"));

        var body = OllamaTestHost.Body(_host.Requests.Single());
        body.GetProperty("stream").GetBoolean().Should().BeFalse();
        body.GetProperty("format").GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("summary");
        body.GetProperty("format").GetProperty("additionalProperties").GetBoolean().Should().BeFalse();
        body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).Should().Equal("system", "user");
    }

    [Fact]
    public async Task MaxOutputTokens_is_sent_as_num_predict()
    {
        Reconfigure(o => o.MaxOutputTokens = 900);
        RespondWithSummary("Plain words.");

        await Provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        OllamaTestHost.Body(_host.Requests.Single()).GetProperty("options").GetProperty("num_predict").GetInt32().Should().Be(900);
    }

    [Fact]
    public async Task The_configured_model_is_asked_for()
    {
        Reconfigure(o => o.Model = "qwen2.5:7b");
        RespondWithSummary("Plain words.");

        await Provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        OllamaTestHost.Body(_host.Requests.Single()).GetProperty("model").GetString().Should().Be("qwen2.5:7b");
    }

    [Fact]
    public async Task An_unknown_model_is_a_non_transient_failure_naming_BookBytes_Ollama_Model()
    {
        RespondWithError(404, "model \"llama3.2\" not found, try pulling it first");

        var act = () => Provider.OutlineAsync(Book);

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
    public async Task A_server_that_is_not_running_is_a_transient_failure_saying_Ollama_is_not_reachable()
    {
        using var refusing = OllamaTestHost.RefusingSocket();
        var endpoint = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)refusing.LocalEndPoint!).Port}");
        Reconfigure(o => o.Endpoint = endpoint);

        var act = () => Provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.StatusCode.Should().BeNull();
        thrown.Message.Should().Contain("not reachable").And.Contain(endpoint.Authority).And.Contain("BookBytes:Ollama:Endpoint");
    }

    [Fact]
    public async Task An_attempt_that_times_out_names_BookBytes_Ollama_Timeout()
    {
        Reconfigure(maxRetries: 0, attemptTimeout: TimeSpan.FromMilliseconds(200));
        RespondSlowly(TimeSpan.FromSeconds(3));

        var act = () => Provider.OutlineAsync(Book);

        (await act.Should().ThrowAsync<ProviderException>()).Which.Message.Should().Contain("timed out").And.Contain("BookBytes:Ollama:Timeout");
    }

    [Fact]
    public async Task An_endpoint_with_a_path_prefix_keeps_it()
    {
        using var host = new OllamaTestHost();
        using var prefixed = new OllamaTestHost(o => o.Endpoint = new Uri(host.Server.Url + "/ollama"));
        prefixed.Server.Stop();
        host.Server.Reply("/ollama/api/chat", 200, OllamaResponses.Summary("Plain words."));
        var provider = prefixed.Get<ILlmProvider>();

        var summary = await provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        summary.Text.Should().Be("Plain words.");
        host.Requests.Should().ContainSingle().Which.RequestMessage.Path.Should().Be("/ollama/api/chat");
    }

    [Fact]
    public async Task An_error_object_in_a_successful_answer_is_a_transient_ProviderResponseException()
    {
        _host.Server.Reply(ChatPath, 200, OllamaResponses.Error("an error was encountered while running the model"));

        var act = () => Provider.OutlineAsync(Book);

        // OllamaSharp 5.5.2 does not read the error object of a chat answer: it finds no "done": true line.
        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Message.Should().Contain("incomplete").And.Contain(_host.Server.Url);
    }

    protected override void Reconfigure(int maxRetries, TimeSpan? attemptTimeout = null) => Reconfigure(o =>
    {
        o.MaxRetries = maxRetries;
        o.Timeout = attemptTimeout ?? o.Timeout;
    });

    protected override void RespondWithAnswer(string text, AnswerEnd ending = AnswerEnd.Complete, long inputTokens = 120, long outputTokens = 45)
        => _host.Server.Reply(ChatPath, 200, OllamaResponses.Chat(text, ending == AnswerEnd.CutOff ? "length" : "stop", inputTokens, outputTokens));

    protected override void RespondWithError(int status, string message, TimeSpan? retryAfter = null, bool once = false)
        => _host.Server.Reply(ChatPath, status, OllamaResponses.Error(message), retryAfter: retryAfter, once: once);

    protected override void RespondWithBody(string contentType, string body) => _host.Server.Reply(ChatPath, 200, body, contentType: contentType);

    protected override void RespondSlowly(TimeSpan delay) => _host.Server.Reply(ChatPath, 200, OllamaResponses.Outline(true, "One"), delay);

    protected override void UseRefusingEndpoint(Uri endpoint) => Reconfigure(o =>
    {
        o.MaxRetries = 0;
        o.Endpoint = endpoint;
    });

    protected override DateTime RequestedAt(int request) => _host.Requests[request].RequestMessage.DateTime;

    protected override string SystemPrompt(int request) => Prompt(request, "system");

    protected override string UserPrompt(int request) => Prompt(request, "user");

    private string Prompt(int request, string role)
        => string.Join("\n", OllamaTestHost.Body(_host.Requests[request]).GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() == role)
            .Select(m => m.GetProperty("content").GetString()));

    private void Reconfigure(Action<OllamaOptions> configure)
    {
        _host.Dispose();
        _host = new OllamaTestHost(configure);
    }
}
