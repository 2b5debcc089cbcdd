using System.Text.Json;
using BookBytes.Llm;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace BookBytes.Providers.Anthropic.Tests;

public sealed class AnthropicLlmProviderTests : IDisposable
{
    private const string MessagesPath = "/v1/messages";

    private static readonly BookContext Book = new(
        "Thinking, Fast and Slow",
        ["Daniel Kahneman"],
        "en",
        Description: "Two systems that drive the way we think.",
        SummaryWords: 450);

    private readonly AnthropicTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Outline_posts_a_message_with_the_model_max_tokens_system_prompt_and_json_schema_and_returns_the_chapters()
    {
        RespondWith(200, MessagesResponses.Outline(true, "The Characters of the Story", "Attention and Effort", "The Lazy Controller"));
        var provider = _host.Get<ILlmProvider>();

        var outline = await provider.OutlineAsync(Book);

        outline.Known.Should().BeTrue();
        outline.Chapters.Should().Equal(
            new ChapterHeading(1, "The Characters of the Story"),
            new ChapterHeading(2, "Attention and Effort"),
            new ChapterHeading(3, "The Lazy Controller"));
        outline.Usage.Should().Be(new LlmUsage(120, 45));
        var request = _host.Requests.Should().ContainSingle().Subject;
        request.RequestMessage.Path.Should().Be(MessagesPath);
        request.RequestMessage.Method.Should().Be("POST");
        AnthropicTestHost.Header(request, "Authorization").Should().Be("Bearer " + AnthropicTestHost.ApiKey);
        AnthropicTestHost.Header(request, "anthropic-version").Should().NotBeNullOrWhiteSpace();
        var body = AnthropicTestHost.Body(request);
        body.GetProperty("model").GetString().Should().Be("claude-sonnet-4-5");
        body.GetProperty("max_tokens").GetInt32().Should().Be(4096);
        SystemText(body).Should().Contain("chapters");
        var messages = body.GetProperty("messages");
        messages.GetArrayLength().Should().Be(1);
        messages[0].GetProperty("role").GetString().Should().Be("user");
        UserText(body).Should().Contain("Thinking, Fast and Slow")
            .And.Contain("Daniel Kahneman")
            .And.Contain("English")
            .And.Contain("Two systems that drive the way we think.");
        var format = body.GetProperty("output_config").GetProperty("format");
        format.GetProperty("type").GetString().Should().Be("json_schema");
        var schema = format.GetProperty("schema");
        schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("known", "chapters");
        schema.GetProperty("additionalProperties").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Outline_of_an_unknown_book_returns_known_false_without_chapters()
    {
        RespondWith(200, MessagesResponses.Message("""{"known":false,"chapters":[]}""", inputTokens: 80, outputTokens: 9));
        var provider = _host.Get<ILlmProvider>();

        var outline = await provider.OutlineAsync(Book with { Title = "A Book Nobody Wrote" });

        outline.Known.Should().BeFalse();
        outline.Chapters.Should().BeEmpty();
        outline.Usage.Should().Be(new LlmUsage(80, 9));
    }

    [Fact]
    public async Task Summary_sends_the_chapter_in_the_user_message_and_returns_the_text_with_usage()
    {
        RespondWith(200, MessagesResponses.Message(
            JsonSerializer.Serialize(new { summary = "In Thinking, Fast and Slow, Daniel Kahneman opens with two characters.\r\n\r\n\r\nSystem 1 is fast." }),
            inputTokens: 310,
            outputTokens: 520));
        var provider = _host.Get<ILlmProvider>();

        var summary = await provider.SummarizeChapterAsync(Book with { Language = "de" }, new ChapterHeading(2, "Attention and Effort"));

        summary.Text.Should().Be("In Thinking, Fast and Slow, Daniel Kahneman opens with two characters.\n\nSystem 1 is fast.");
        summary.Usage.Should().Be(new LlmUsage(310, 520));
        var body = AnthropicTestHost.Body(_host.Requests.Single());
        body.GetProperty("model").GetString().Should().Be("claude-sonnet-4-5");
        body.GetProperty("max_tokens").GetInt32().Should().Be(4096);
        SystemText(body).Should().NotBeNullOrWhiteSpace();
        UserText(body).Should().Contain("Chapter to summarise: chapter 2, \"Attention and Effort\"")
            .And.Contain("450 words")
            .And.Contain("German")
            .And.Contain("Thinking, Fast and Slow");
        body.GetProperty("output_config").GetProperty("format").GetProperty("schema")
            .GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("summary");
    }

    [Fact]
    public async Task The_model_and_max_tokens_come_from_the_options()
    {
        using var host = new AnthropicTestHost(o =>
        {
            o.Model = "claude-haiku-4-5";
            o.MaxOutputTokens = 1500;
        });
        host.Server.Given(Request.Create().WithPath(MessagesPath).UsingPost()).RespondWith(Json(200, MessagesResponses.Summary("Plain words.")));
        var provider = host.Get<ILlmProvider>();

        await provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        var body = AnthropicTestHost.Body(host.Requests.Single());
        body.GetProperty("model").GetString().Should().Be("claude-haiku-4-5");
        body.GetProperty("max_tokens").GetInt32().Should().Be(1500);
    }

    [Fact]
    public async Task An_answer_stopped_at_max_tokens_throws_a_transient_ProviderResponseException()
    {
        RespondWith(200, MessagesResponses.Message("""{"summary":"In this chapter the au""", stopReason: "max_tokens"));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Message.Should().Contain("cut off");
    }

    [Fact]
    public async Task A_refusal_throws_a_non_transient_ProviderResponseException()
    {
        RespondWith(200, MessagesResponses.Message(string.Empty, stopReason: "refusal"));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.Message.Should().Contain("refused");
    }

    [Fact]
    public async Task Malformed_json_text_throws_a_transient_ProviderResponseException()
    {
        RespondWith(200, MessagesResponses.Message("""{"known": true, "chapters": [{"number": 1, "title": "One"}"""));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Message.Should().Contain("not valid JSON");
    }

    [Fact]
    public async Task A_body_that_is_not_a_message_throws_a_transient_ProviderResponseException()
    {
        RespondWith(200, "<html>gateway</html>");
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        (await act.Should().ThrowAsync<ProviderResponseException>()).Which.IsTransient.Should().BeTrue();
    }

    [Theory]
    [InlineData(529, "overloaded_error", "Overloaded")]
    [InlineData(500, "api_error", "Internal server error")]
    public async Task Server_errors_are_retried_MaxRetries_times_then_fail_as_transient(int status, string type, string message)
    {
        RespondWith(status, MessagesResponses.Error(message, type));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.StatusCode.Should().Be(status);
        thrown.Message.Should().Contain(message).And.Contain(_host.Server.Url);
        _host.Requests.Should().HaveCount(new AnthropicOptions().MaxRetries + 1, "the default is one HTTP retry and the SDK itself does not retry");
    }

    [Fact]
    public async Task MaxRetries_zero_makes_a_single_attempt()
    {
        using var host = new AnthropicTestHost(o => o.MaxRetries = 0);
        host.Server.Given(Request.Create().WithPath(MessagesPath).UsingPost()).RespondWith(Json(529, MessagesResponses.Error("Overloaded", "overloaded_error")));
        var provider = host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        (await act.Should().ThrowAsync<ProviderException>()).Which.IsTransient.Should().BeTrue();
        host.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_429_is_transient_and_reports_Retry_After()
    {
        using var host = new AnthropicTestHost(o => o.MaxRetries = 0);
        host.Server.Given(Request.Create().WithPath(MessagesPath).UsingPost())
            .RespondWith(Json(429, MessagesResponses.Error("Number of request tokens has exceeded your per-minute rate limit", "rate_limit_error")).WithHeader("retry-after", "17"));
        var provider = host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.StatusCode.Should().Be(429);
        thrown.RetryAfter.Should().Be(TimeSpan.FromSeconds(17));
        thrown.Message.Should().Contain("per-minute rate limit");
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_after_the_wait_and_then_succeeds()
    {
        _host.Server.Given(Request.Create().WithPath(MessagesPath).UsingPost())
            .InScenario("throttled").WillSetStateTo("open")
            .RespondWith(Json(429, MessagesResponses.Error("Rate limited", "rate_limit_error")).WithHeader("retry-after", "1"));
        _host.Server.Given(Request.Create().WithPath(MessagesPath).UsingPost())
            .InScenario("throttled").WhenStateIs("open")
            .RespondWith(Json(200, MessagesResponses.Outline(true, "One")));
        var provider = _host.Get<ILlmProvider>();

        var outline = await provider.OutlineAsync(Book);

        outline.Chapters.Should().ContainSingle();
        var requests = _host.Requests;
        requests.Should().HaveCount(2);
        (requests[1].RequestMessage.DateTime - requests[0].RequestMessage.DateTime)
            .Should().BeGreaterThan(TimeSpan.FromMilliseconds(900), "the retry waits for Retry-After (1 s), not for the 10 ms back-off");
    }

    [Theory]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    public async Task A_refused_key_throws_ProviderConfigurationException_naming_the_setting_but_never_the_key(int status, string type)
    {
        RespondWith(status, MessagesResponses.Error($"invalid x-api-key {AnthropicTestHost.ApiKey}", type));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderConfigurationException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.StatusCode.Should().Be(status);
        thrown.Message.Should().Contain("BookBytes:Anthropic:ApiKey");
        thrown.ToString().Should().NotContain(AnthropicTestHost.ApiKey).And.NotContain("SECRET");
        _host.Requests.Should().ContainSingle("a refused key is not retried");
    }

    [Fact]
    public async Task A_400_throws_a_non_transient_ProviderException_with_the_API_message()
    {
        RespondWith(400, MessagesResponses.Error("output_config.format.schema: unsupported keyword 'pattern'"));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.StatusCode.Should().Be(400);
        thrown.Message.Should().Contain("output_config.format.schema: unsupported keyword 'pattern'");
        _host.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_404_names_the_model_setting()
    {
        RespondWith(404, MessagesResponses.Error("model: claude-nonexistent", "not_found_error"));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.Message.Should().Contain("model: claude-nonexistent").And.Contain("BookBytes:Anthropic:Model");
    }

    [Fact]
    public async Task An_attempt_that_times_out_fails_as_transient()
    {
        using var host = new AnthropicTestHost(o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(200);
            o.MaxRetries = 0;
        });
        host.Server.Given(Request.Create().WithPath(MessagesPath).UsingPost())
            .RespondWith(Json(200, MessagesResponses.Outline(true, "One")).WithDelay(TimeSpan.FromSeconds(3)));
        var provider = host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Message.Should().Contain("timed out");
    }

    [Fact]
    public async Task A_connection_failure_fails_as_transient()
    {
        using var host = new AnthropicTestHost(o => o.MaxRetries = 0);
        var url = host.Server.Url!;
        host.Server.Stop();
        var provider = host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.StatusCode.Should().BeNull();
        thrown.Message.Should().Contain(url);
    }

    [Fact]
    public async Task Cancelling_the_caller_token_throws_OperationCanceledException_not_a_provider_error()
    {
        _host.Server.Given(Request.Create().WithPath(MessagesPath).UsingPost())
            .RespondWith(Json(200, MessagesResponses.Outline(true, "One")).WithDelay(TimeSpan.FromSeconds(3)));
        var provider = _host.Get<ILlmProvider>();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var act = () => provider.OutlineAsync(Book, cancellation.Token);

        (await act.Should().ThrowAsync<OperationCanceledException>()).Which.Should().NotBeAssignableTo<ProviderException>();
    }

    [Fact]
    public async Task A_keyless_custom_endpoint_gets_no_credential()
    {
        using var host = new AnthropicTestHost(o => o.ApiKey = null);
        host.Server.Given(Request.Create().WithPath(MessagesPath).UsingPost()).RespondWith(Json(200, MessagesResponses.Outline(true, "One")));
        var provider = host.Get<ILlmProvider>();

        await provider.OutlineAsync(Book);

        var request = host.Requests.Should().ContainSingle().Subject;
        AnthropicTestHost.Header(request, "Authorization").Should().BeNull();
        AnthropicTestHost.Header(request, "x-api-key").Should().BeNull();
    }

    private static string SystemText(JsonElement body) => body.GetProperty("system") switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString()!,
        var blocks => string.Join("\n", blocks.EnumerateArray().Select(b => b.GetProperty("text").GetString())),
    };

    private static string UserText(JsonElement body)
        => string.Join("\n", body.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() == "user")
            .Select(m => m.GetProperty("content") switch
            {
                { ValueKind: JsonValueKind.String } s => s.GetString(),
                var parts => string.Join("\n", parts.EnumerateArray().Select(p => p.GetProperty("text").GetString())),
            }));

    private static IResponseBuilder Json(int status, string body)
        => Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    private void RespondWith(int status, string body)
        => _host.Server.Given(Request.Create().WithPath(MessagesPath).UsingPost()).RespondWith(Json(status, body));
}
