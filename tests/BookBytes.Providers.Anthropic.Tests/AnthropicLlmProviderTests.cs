using System.Text.Json;
using BookBytes.Llm;
using BookBytes.Testing.Contracts;
using BookBytes.Testing.Fakes;

namespace BookBytes.Providers.Anthropic.Tests;

/// <summary>The chat provider contract over Anthropic's Messages API, and what is Anthropic's own.</summary>
public sealed class AnthropicLlmProviderTests : RefusingLlmProviderContractTests, IDisposable
{
    private const string MessagesPath = "/v1/messages";

    private AnthropicTestHost _host = new();

    protected override ILlmProvider Provider => _host.Get<ILlmProvider>();

    protected override int DefaultMaxRetries => new AnthropicOptions().MaxRetries;

    protected override string Endpoint => _host.Server.Url!;

    protected override string ConfiguredModel => "claude-sonnet-4-5";

    protected override int RequestCount => _host.Requests.Count;

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Outline_posts_a_message_with_the_model_max_tokens_system_prompt_and_json_schema()
    {
        RespondWithOutline(true, "The Characters of the Story", "Attention and Effort", "The Lazy Controller");

        await Provider.OutlineAsync(Book);

        var request = _host.Requests.Should().ContainSingle().Subject;
        request.RequestMessage.Path.Should().Be(MessagesPath);
        request.RequestMessage.Method.Should().Be("POST");
        AnthropicTestHost.Header(request, "Authorization").Should().Be("Bearer " + AnthropicTestHost.ApiKey);
        AnthropicTestHost.Header(request, "anthropic-version").Should().NotBeNullOrWhiteSpace();
        var body = AnthropicTestHost.Body(request);
        body.GetProperty("model").GetString().Should().Be("claude-sonnet-4-5");
        body.GetProperty("max_tokens").GetInt32().Should().Be(4096);
        body.TryGetProperty("system", out _).Should().BeTrue("the system prompt is the Messages API's top-level system field");
        var messages = body.GetProperty("messages");
        messages.GetArrayLength().Should().Be(1);
        messages[0].GetProperty("role").GetString().Should().Be("user");
        var format = body.GetProperty("output_config").GetProperty("format");
        format.GetProperty("type").GetString().Should().Be("json_schema");
        var schema = format.GetProperty("schema");
        schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("known", "chapters");
        schema.GetProperty("additionalProperties").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Summary_posts_the_summary_schema_with_the_model_and_max_tokens()
    {
        RespondWithSummary("Plain words.");

        await Provider.SummarizeChapterAsync(Book with { Language = "de" }, new ChapterHeading(2, "Attention and Effort"));

        var body = AnthropicTestHost.Body(_host.Requests.Single());
        body.GetProperty("model").GetString().Should().Be("claude-sonnet-4-5");
        body.GetProperty("max_tokens").GetInt32().Should().Be(4096);
        body.GetProperty("output_config").GetProperty("format").GetProperty("schema")
            .GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("summary");
    }

    [Fact]
    public async Task The_model_and_max_tokens_come_from_the_options()
    {
        Reconfigure(o =>
        {
            o.Model = "claude-haiku-4-5";
            o.MaxOutputTokens = 1500;
        });
        RespondWithSummary("Plain words.");

        await Provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        var body = AnthropicTestHost.Body(_host.Requests.Single());
        body.GetProperty("model").GetString().Should().Be("claude-haiku-4-5");
        body.GetProperty("max_tokens").GetInt32().Should().Be(1500);
    }

    [Theory]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    public async Task A_refused_key_throws_ProviderConfigurationException_naming_the_setting_but_never_the_key(int status, string type)
    {
        _host.Server.Reply(MessagesPath, status, MessagesResponses.Error($"invalid x-api-key {AnthropicTestHost.ApiKey}", type));

        var act = () => Provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderConfigurationException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.StatusCode.Should().Be(status);
        thrown.Message.Should().Contain("BookBytes:Anthropic:ApiKey");
        thrown.ToString().Should().NotContain(AnthropicTestHost.ApiKey).And.NotContain("SECRET");
        _host.Requests.Should().ContainSingle("a refused key is not retried");
    }

    [Fact]
    public async Task A_404_names_the_model_setting()
    {
        RespondWithError(404, "model: claude-nonexistent");

        var act = () => Provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.Message.Should().Contain("model: claude-nonexistent").And.Contain("BookBytes:Anthropic:Model");
    }

    [Fact]
    public async Task A_keyless_custom_endpoint_gets_no_credential()
    {
        Reconfigure(o => o.ApiKey = null);
        RespondWithOutline(true, "One");

        await Provider.OutlineAsync(Book);

        var request = _host.Requests.Should().ContainSingle().Subject;
        AnthropicTestHost.Header(request, "Authorization").Should().BeNull();
        AnthropicTestHost.Header(request, "x-api-key").Should().BeNull();
    }

    protected override void Reconfigure(int maxRetries, TimeSpan? attemptTimeout = null) => Reconfigure(o =>
    {
        o.MaxRetries = maxRetries;
        o.Timeout = attemptTimeout ?? o.Timeout;
    });

    protected override void RespondWithAnswer(string text, AnswerEnd ending = AnswerEnd.Complete, long inputTokens = 120, long outputTokens = 45)
        => _host.Server.Reply(MessagesPath, 200, MessagesResponses.Message(text, ending == AnswerEnd.CutOff ? "max_tokens" : "end_turn", inputTokens, outputTokens));

    // The Messages API says "refusal" in stop_reason; the explanation, if any, is not part of this signal.
    protected override void RespondWithRefusal(string explanation)
        => _host.Server.Reply(MessagesPath, 200, MessagesResponses.Message(string.Empty, stopReason: "refusal"));

    protected override void RespondWithError(int status, string message, TimeSpan? retryAfter = null, bool once = false)
        => _host.Server.Reply(MessagesPath, status, MessagesResponses.Error(message, ErrorType(status)), retryAfter: retryAfter, once: once);

    protected override void RespondWithBody(string contentType, string body) => _host.Server.Reply(MessagesPath, 200, body, contentType: contentType);

    protected override void RespondSlowly(TimeSpan delay) => _host.Server.Reply(MessagesPath, 200, MessagesResponses.Outline(true, "One"), delay);

    protected override void UseRefusingEndpoint(Uri endpoint) => Reconfigure(o =>
    {
        o.MaxRetries = 0;
        o.Endpoint = endpoint;
    });

    protected override DateTime RequestedAt(int request) => _host.Requests[request].RequestMessage.DateTime;

    protected override string SystemPrompt(int request) => AnthropicTestHost.Body(_host.Requests[request]).GetProperty("system") switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString()!,
        var blocks => string.Join("\n", blocks.EnumerateArray().Select(b => b.GetProperty("text").GetString())),
    };

    protected override string UserPrompt(int request)
        => string.Join("\n", AnthropicTestHost.Body(_host.Requests[request]).GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() == "user")
            .Select(m => m.GetProperty("content") switch
            {
                { ValueKind: JsonValueKind.String } s => s.GetString(),
                var parts => string.Join("\n", parts.EnumerateArray().Select(p => p.GetProperty("text").GetString())),
            }));

    private static string ErrorType(int status) => status switch
    {
        404 => "not_found_error",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };

    private void Reconfigure(Action<AnthropicOptions> configure)
    {
        _host.Dispose();
        _host = new AnthropicTestHost(configure);
    }
}
