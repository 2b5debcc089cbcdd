using System.Text.Json;
using BookBytes.Llm;
using BookBytes.Testing.Contracts;
using BookBytes.Testing.Fakes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace BookBytes.Providers.OpenAI.Tests;

/// <summary>The chat provider contract over OpenAI's Chat Completions, and what is OpenAI's own.</summary>
public sealed class OpenAiLlmProviderTests : RefusingLlmProviderContractTests, IDisposable
{
    private const string ChatPath = "/v1/chat/completions";

    private OpenAiTestHost _host = new();

    protected override ILlmProvider Provider => _host.Get<ILlmProvider>();

    protected override int DefaultMaxRetries => new OpenAiOptions().MaxRetries;

    protected override string Endpoint => _host.Server.Url!;

    protected override string ConfiguredModel => "gpt-4o-mini";

    protected override int RequestCount => _host.Requests.Count;

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Outline_sends_a_strict_schema_with_the_key_and_model()
    {
        RespondWithOutline(true, "The Characters of the Story", "Attention and Effort", "The Lazy Controller");

        await Provider.OutlineAsync(Book);

        var request = _host.Requests.Should().ContainSingle().Subject;
        request.RequestMessage.Path.Should().Be(ChatPath);
        OpenAiTestHost.Header(request, "Authorization").Should().Be("Bearer " + OpenAiTestHost.ApiKey);
        var body = OpenAiTestHost.Body(request);
        body.GetProperty("model").GetString().Should().Be("gpt-4o-mini");
        var format = body.GetProperty("response_format");
        format.GetProperty("type").GetString().Should().Be("json_schema");
        format.GetProperty("json_schema").GetProperty("strict").GetBoolean().Should().BeTrue();
        var schema = format.GetProperty("json_schema").GetProperty("schema");
        schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("known", "chapters");
        schema.GetProperty("additionalProperties").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Summary_sends_the_strict_summary_schema_and_the_model()
    {
        RespondWithSummary("Plain words.");

        await Provider.SummarizeChapterAsync(Book with { Language = "de" }, new ChapterHeading(2, "Attention and Effort"));

        var body = OpenAiTestHost.Body(_host.Requests.Single());
        body.GetProperty("model").GetString().Should().Be("gpt-4o-mini");
        var jsonSchema = body.GetProperty("response_format").GetProperty("json_schema");
        jsonSchema.GetProperty("strict").GetBoolean().Should().BeTrue();
        jsonSchema.GetProperty("schema").GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("summary");
    }

    [Fact]
    public async Task A_text_summary_sends_the_text_verbatim_the_words_and_the_model_with_a_strict_schema()
    {
        RespondWithSummary("In Thinking, Fast and Slow, chapter two says effort is limited.", inputTokens: 1500, outputTokens: 260);

        var summary = await Provider.SummarizeTextAsync(Book, new TextSummaryRequest(new ChapterHeading(2, "Attention and Effort"), ChapterText, SummaryScope.Chapter, 320));

        summary.Should().Be(new ChapterSummary("In Thinking, Fast and Slow, chapter two says effort is limited.", new LlmUsage(1500, 260)));
        var request = _host.Requests.Should().ContainSingle().Subject;
        request.RequestMessage.Path.Should().Be(ChatPath);
        var body = OpenAiTestHost.Body(request);
        body.GetProperty("model").GetString().Should().Be("gpt-4o-mini");
        var messages = body.GetProperty("messages").EnumerateArray().ToArray();
        messages.Select(m => m.GetProperty("role").GetString()).Should().Equal("system", "user");
        UserPrompt(0).Should().Contain("<<<TEXT\n" + ChapterText + "\nTEXT>>>").And.Contain("about 320 words");
        var format = body.GetProperty("response_format");
        format.GetProperty("type").GetString().Should().Be("json_schema");
        var jsonSchema = format.GetProperty("json_schema");
        jsonSchema.GetProperty("name").GetString().Should().Be("text_summary");
        jsonSchema.GetProperty("strict").GetBoolean().Should().BeTrue();
        jsonSchema.GetProperty("schema").GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("summary");
        jsonSchema.GetProperty("schema").GetProperty("additionalProperties").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task A_failed_text_summary_names_the_call_and_the_endpoint()
    {
        RespondWithError(400, "This model's maximum context length is 128000 tokens.");

        var act = () => Provider.SummarizeTextAsync(Book, new TextSummaryRequest(new ChapterHeading(2, "Attention and Effort"), ChapterText, SummaryScope.Part, 320, Part: 1, Parts: 2));

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.Message.Should().Contain("Chat completion (text summary)").And.Contain("maximum context length");
    }

    [Fact]
    public async Task A_filtered_text_summary_is_a_non_transient_ProviderResponseException()
    {
        _host.Server.Reply(ChatPath, 200, ChatResponses.Completion(string.Empty, "content_filter"));

        var act = () => Provider.SummarizeTextAsync(Book, new TextSummaryRequest(new ChapterHeading(1, "Intro"), ChapterText, SummaryScope.Chapter, 300));

        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.Message.Should().Contain("content_filter");
    }

    [Theory]
    [InlineData("gpt-4o-mini")]
    [InlineData("gpt-4o-2024-08-06")]
    [InlineData("gpt-4.1-mini")]
    [InlineData("gpt-5")]
    [InlineData("o1")]
    [InlineData("o3-mini")]
    [InlineData("o4-mini")]
    [InlineData("gpt-4")]
    [InlineData("gpt-3.5-turbo")]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("openai/gpt-oss-20b")]
    public void Tokens_are_counted_with_the_models_tiktoken_encoding(string model)
    {
        Reconfigure(o => o.ChatModel = model);

        // Two tokens in both o200k_base and cl100k_base ("hello", " world"); the estimate says three.
        Provider.CountTokens("hello world").Should().Be(2);
        LlmTokens.Estimate("hello world").Should().Be(3);
    }

    [Fact]
    public void A_long_text_counts_close_to_the_estimate_and_the_same_from_every_thread()
    {
        var text = string.Join("\n\n", Enumerable.Repeat(ChapterText, 165));
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        var provider = Provider;

        var counts = new int[8];
        Parallel.For(0, counts.Length, i => counts[i] = provider.CountTokens(text));

        words.Should().BeInRange(10_000, 12_000);
        counts.Should().OnlyContain(c => c == counts[0]);
        counts[0].Should().NotBe(LlmTokens.Estimate(text), "an exact count, not the estimate")
            .And.BeInRange((int)(LlmTokens.Estimate(text) * 0.8), (int)(LlmTokens.Estimate(text) * 1.2));
    }

    [Theory]
    [InlineData("llama3.1:8b")]
    [InlineData("mistral-large-latest")]
    [InlineData("Qwen/Qwen2.5-7B-Instruct")]
    public void A_model_the_tokenizer_does_not_know_is_estimated(string model)
    {
        Reconfigure(o => o.ChatModel = model);

        Provider.CountTokens("hello world").Should().Be(LlmTokens.Estimate("hello world"));
        Provider.CountTokens(ChapterText).Should().Be(LlmTokens.Estimate(ChapterText));
        Provider.ModelId.Should().Be(model);
    }

    [Fact]
    public async Task A_refusal_quotes_what_the_model_said()
    {
        RespondWithRefusal("I can't help with that.");

        var act = () => Provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        (await act.Should().ThrowAsync<ProviderResponseException>()).Which.Message.Should().Contain("refused").And.Contain("I can't help with that.");
    }

    [Fact]
    public async Task Exhausted_throttling_reports_Retry_After()
    {
        _host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("retry-after-ms", "20")
                .WithHeader("Content-Type", "application/json").WithBody(ChatResponses.Error("Rate limit reached", "requests")));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.StatusCode.Should().Be(429);
        thrown.RetryAfter.Should().Be(TimeSpan.FromMilliseconds(20));
    }

    [Theory]
    [InlineData("1s", "6m0s", 360.0)]
    [InlineData("250ms", null, 0.25)]
    [InlineData(null, "1m30.5s", 90.5)]
    public async Task Exhausted_throttling_without_Retry_After_reports_OpenAIs_rate_limit_reset(string? requests, string? tokens, double seconds)
    {
        var response = Response.Create().WithStatusCode(429).WithHeader("Content-Type", "application/json").WithBody(ChatResponses.Error("Rate limit reached", "requests"));
        // Both budgets are reported; only the exhausted one (remaining 0) says how long to wait.
        response = response
            .WithHeader("x-ratelimit-reset-requests", requests ?? "59s").WithHeader("x-ratelimit-remaining-requests", requests is null ? "12" : "0")
            .WithHeader("x-ratelimit-reset-tokens", tokens ?? "59s").WithHeader("x-ratelimit-remaining-tokens", tokens is null ? "4000" : "0");

        _host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(response);
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.StatusCode.Should().Be(429);
        thrown.RetryAfter.Should().Be(TimeSpan.FromSeconds(seconds), "the later reset of the exhausted budgets");
    }

    [Theory]
    [InlineData("1h2m3s", 3723.0)]
    [InlineData("0.5s", 0.5)]
    [InlineData("12ms", 0.012)]
    [InlineData("soon", null)]
    [InlineData("5", null)]
    [InlineData("3d", null)]
    [InlineData("99999999999999999999h", 86400.0)]
    public void Rate_limit_reset_durations_are_read_as_OpenAI_writes_them(string text, double? seconds)
    {
        OpenAiErrors.ParseGoDuration(text).Should().Be(seconds is double s ? TimeSpan.FromSeconds(s) : null);
    }

    [Theory]
    [InlineData("Retry-After", "1e300")]
    [InlineData("retry-after-ms", "1e300")]
    public async Task A_huge_retry_after_is_cut_to_a_day(string header, string value)
    {
        using var host = new OpenAiTestHost(o => o.MaxRetries = 0);
        host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader(header, value)
                .WithHeader("Content-Type", "application/json").WithBody(ChatResponses.Error("Rate limit reached", "requests")));
        var provider = host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        (await act.Should().ThrowAsync<ProviderException>()).Which.RetryAfter.Should().Be(TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task A_stream_of_429s_never_opens_the_circuit()
    {
        _host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("retry-after-ms", "1")
                .WithHeader("Content-Type", "application/json").WithBody(ChatResponses.Error("Rate limit reached", "requests")));
        var provider = _host.Get<ILlmProvider>();

        var failures = new List<ProviderException>();
        for (var i = 0; i < 60; i++)
        {
            try
            {
                await provider.OutlineAsync(Book);
            }
            catch (ProviderException ex)
            {
                failures.Add(ex);
            }
        }

        failures.Should().HaveCount(60).And.OnlyContain(f => f.StatusCode == 429, "a busy endpoint is not a broken one: every call reached it");
        _host.Requests.Should().HaveCount(120);
    }

    [Fact]
    public async Task A_401_throws_ProviderConfigurationException_naming_the_setting_but_never_the_key()
    {
        RespondWith(401, ChatResponses.Error($"Incorrect API key provided: {OpenAiTestHost.ApiKey}.", "invalid_api_key"));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderConfigurationException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.StatusCode.Should().Be(401);
        thrown.Message.Should().Contain("BookBytes:OpenAI:ApiKey");
        thrown.ToString().Should().NotContain(OpenAiTestHost.ApiKey).And.NotContain("SECRET");
        _host.Requests.Should().ContainSingle("a refused key is not retried");
    }

    [Fact]
    public async Task A_keyless_custom_endpoint_gets_the_requests_without_an_Authorization_header()
    {
        Reconfigure(o =>
        {
            o.ApiKey = null;
            o.ChatModel = "llama3.1:8b";
        });
        RespondWithOutline(true, "One");

        await Provider.OutlineAsync(Book);

        var request = _host.Requests.Should().ContainSingle().Subject;
        request.RequestMessage.Url.Should().StartWith(_host.Server.Url + "/v1/chat/completions");
        OpenAiTestHost.Header(request, "Authorization").Should().BeNull();
        OpenAiTestHost.Body(request).GetProperty("model").GetString().Should().Be("llama3.1:8b");
    }

    protected override void Reconfigure(int maxRetries, TimeSpan? attemptTimeout = null) => Reconfigure(o =>
    {
        o.MaxRetries = maxRetries;
        o.ChatTimeout = attemptTimeout ?? o.ChatTimeout;
    });

    protected override void RespondWithAnswer(string text, AnswerEnd ending = AnswerEnd.Complete, long inputTokens = 120, long outputTokens = 45)
        => _host.Server.Reply(ChatPath, 200, ChatResponses.Completion(text, ending == AnswerEnd.CutOff ? "length" : "stop", promptTokens: inputTokens, completionTokens: outputTokens));

    protected override void RespondWithRefusal(string explanation)
        => _host.Server.Reply(ChatPath, 200, ChatResponses.Completion(string.Empty, refusal: explanation));

    protected override void RespondWithError(int status, string message, TimeSpan? retryAfter = null, bool once = false)
        => _host.Server.Reply(ChatPath, status, ChatResponses.Error(message, status >= 500 ? "server_error" : "invalid_request_error"), retryAfter: retryAfter, once: once);

    protected override void RespondWithBody(string contentType, string body) => _host.Server.Reply(ChatPath, 200, body, contentType: contentType);

    protected override void RespondSlowly(TimeSpan delay) => _host.Server.Reply(ChatPath, 200, ChatResponses.Outline(true, "One"), delay);

    protected override void UseRefusingEndpoint(Uri endpoint) => Reconfigure(o =>
    {
        o.MaxRetries = 0;
        o.Endpoint = new Uri(endpoint, "/v1");
    });

    protected override DateTime RequestedAt(int request) => _host.Requests[request].RequestMessage.DateTime;

    protected override string SystemPrompt(int request) => Prompt(request, "system");

    protected override string UserPrompt(int request) => Prompt(request, "user");

    private string Prompt(int request, string role)
        => string.Join("\n", OpenAiTestHost.Body(_host.Requests[request]).GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() == role)
            .Select(m => m.GetProperty("content") switch
            {
                { ValueKind: JsonValueKind.String } s => s.GetString(),
                var parts => string.Join("\n", parts.EnumerateArray().Select(p => p.GetProperty("text").GetString())),
            }));

    private void Reconfigure(Action<OpenAiOptions> configure)
    {
        _host.Dispose();
        _host = new OpenAiTestHost(configure);
    }

    private void RespondWith(int status, string body) => _host.Server.Reply(ChatPath, status, body);
}
