using System.Text.Json;
using BookBytes.Llm;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace BookBytes.Providers.OpenAI.Tests;

public sealed class OpenAiLlmProviderTests : IDisposable
{
    private const string ChatPath = "/v1/chat/completions";

    private static readonly BookContext Book = new(
        "Thinking, Fast and Slow",
        ["Daniel Kahneman"],
        "en",
        Description: "Two systems that drive the way we think.",
        SummaryWords: 450);

    private readonly OpenAiTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Outline_sends_a_strict_schema_with_the_book_and_returns_the_chapters()
    {
        RespondWith(200, ChatResponses.Outline(true, "The Characters of the Story", "Attention and Effort", "The Lazy Controller"));
        var provider = _host.Get<ILlmProvider>();

        var outline = await provider.OutlineAsync(Book);

        outline.Known.Should().BeTrue();
        outline.Chapters.Should().Equal(
            new ChapterHeading(1, "The Characters of the Story"),
            new ChapterHeading(2, "Attention and Effort"),
            new ChapterHeading(3, "The Lazy Controller"));
        outline.Usage.Should().Be(new LlmUsage(120, 45));
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
        var messages = AllMessageText(body);
        messages.Should().Contain("Thinking, Fast and Slow")
            .And.Contain("Daniel Kahneman")
            .And.Contain("English")
            .And.Contain("Two systems that drive the way we think.")
            .And.Contain("known=false");
    }

    [Fact]
    public async Task Outline_puts_known_chapter_titles_into_the_prompt()
    {
        RespondWith(200, ChatResponses.Outline(true, "One", "Two"));
        var provider = _host.Get<ILlmProvider>();

        await provider.OutlineAsync(Book with { KnownChapterTitles = ["Part One: Two Systems", "Heuristics and Biases"] });

        var messages = AllMessageText(OpenAiTestHost.Body(_host.Requests.Single()));
        messages.Should().Contain("Part One: Two Systems").And.Contain("Heuristics and Biases");
    }

    [Fact]
    public async Task Outline_of_an_unknown_book_returns_known_false_without_chapters()
    {
        RespondWith(200, ChatResponses.Completion("""{"known":false,"chapters":[]}""", promptTokens: 80, completionTokens: 9));
        var provider = _host.Get<ILlmProvider>();

        var outline = await provider.OutlineAsync(Book with { Title = "A Book Nobody Wrote" });

        outline.Known.Should().BeFalse();
        outline.Chapters.Should().BeEmpty();
        outline.Usage.Should().Be(new LlmUsage(80, 9));
    }

    [Fact]
    public async Task Extracting_chapters_of_an_unknown_book_throws_BookNotKnownException()
    {
        RespondWith(200, ChatResponses.Outline(false));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.ExtractChaptersAsync(Book);

        (await act.Should().ThrowAsync<Books.BookNotKnownException>()).Which.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task Summary_sends_the_chapter_and_language_and_returns_plain_paragraphs_with_usage()
    {
        RespondWith(200, ChatResponses.Summary("In Thinking, Fast and Slow, Daniel Kahneman opens with two characters.\r\n\r\n\r\nSystem 1 is fast.  \n\nSystem 2 is slow.\n"));
        var provider = _host.Get<ILlmProvider>();

        var summary = await provider.SummarizeChapterAsync(Book with { Language = "de" }, new ChapterHeading(2, "Attention and Effort"));

        summary.Text.Should().Be("In Thinking, Fast and Slow, Daniel Kahneman opens with two characters.\n\nSystem 1 is fast.  \n\nSystem 2 is slow.");
        summary.Usage.Should().Be(new LlmUsage(120, 45));
        var body = OpenAiTestHost.Body(_host.Requests.Single());
        body.GetProperty("model").GetString().Should().Be("gpt-4o-mini");
        var jsonSchema = body.GetProperty("response_format").GetProperty("json_schema");
        jsonSchema.GetProperty("strict").GetBoolean().Should().BeTrue();
        jsonSchema.GetProperty("schema").GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("summary");
        var messages = AllMessageText(body);
        messages.Should().Contain("Attention and Effort")
            .And.Contain("chapter 2")
            .And.Contain("450 words")
            .And.Contain("German")
            .And.Contain("Thinking, Fast and Slow")
            .And.Contain("Daniel Kahneman")
            .And.Contain("no markdown");
    }

    [Fact]
    public async Task A_truncated_answer_throws_ProviderResponseException()
    {
        RespondWith(200, ChatResponses.Completion("""{"summary":"In this chapter the au""", finishReason: "length"));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        (await act.Should().ThrowAsync<ProviderResponseException>())
            .Which.Message.Should().Contain("finish_reason=length");
    }

    [Fact]
    public async Task Malformed_json_content_throws_ProviderResponseException()
    {
        RespondWith(200, ChatResponses.Completion("""{"known": true, "chapters": [{"number": 1, "title": "One"}"""));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>()).Which;
        thrown.Message.Should().Contain("not valid JSON");
        thrown.ErrorCode.Should().Be(ErrorCodes.ProviderInvalidResponse);
    }

    [Fact]
    public async Task Json_that_breaks_the_schema_throws_ProviderResponseException()
    {
        RespondWith(200, ChatResponses.Completion("""{"chapters": [{"number": 1, "title": "One"}]}"""));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        (await act.Should().ThrowAsync<ProviderResponseException>())
            .Which.Message.Should().Contain("schema").And.Contain("known");
    }

    [Fact]
    public async Task A_refusal_throws_a_non_transient_ProviderResponseException()
    {
        RespondWith(200, ChatResponses.Completion(string.Empty, refusal: "I can't help with that."));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>()).Which;
        thrown.Message.Should().Contain("refused").And.Contain("I can't help with that.");
        thrown.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_after_the_wait_and_then_succeeds()
    {
        _host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .InScenario("throttled").WillSetStateTo("open")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1")
                .WithHeader("Content-Type", "application/json").WithBody(ChatResponses.Error("Rate limit reached", "requests")));
        _host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .InScenario("throttled").WhenStateIs("open")
            .RespondWith(Json(200, ChatResponses.Outline(true, "One")));
        var provider = _host.Get<ILlmProvider>();

        var outline = await provider.OutlineAsync(Book);

        outline.Chapters.Should().ContainSingle();
        var requests = _host.Requests;
        requests.Should().HaveCount(2);
        var gap = requests[1].RequestMessage.DateTime - requests[0].RequestMessage.DateTime;
        gap.Should().BeGreaterThan(TimeSpan.FromMilliseconds(900), "the retry waits for Retry-After (1 s), not for the 10 ms back-off");
    }

    [Fact]
    public async Task Server_errors_are_retried_MaxRetries_times_then_fail_as_transient()
    {
        RespondWith(500, ChatResponses.Error("The server had an error while processing your request.", "server_error"));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.StatusCode.Should().Be(500);
        thrown.Message.Should().Contain("The server had an error");
        _host.Requests.Should().HaveCount(new OpenAiOptions().MaxRetries + 1, "the default is one HTTP retry and the SDK itself does not retry");
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
    public async Task A_400_throws_a_non_transient_ProviderException_with_the_API_message()
    {
        RespondWith(400, ChatResponses.Error("Invalid schema for response_format 'book_outline'."));
        var provider = _host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeFalse();
        thrown.StatusCode.Should().Be(400);
        thrown.Message.Should().Contain("Invalid schema for response_format 'book_outline'.");
        _host.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_keyless_custom_endpoint_gets_the_requests_without_an_Authorization_header()
    {
        using var host = new OpenAiTestHost(o =>
        {
            o.ApiKey = null;
            o.ChatModel = "llama3.1:8b";
        });
        host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(200, ChatResponses.Outline(true, "One")));
        var provider = host.Get<ILlmProvider>();

        await provider.OutlineAsync(Book);

        var request = host.Requests.Should().ContainSingle().Subject;
        request.RequestMessage.Url.Should().StartWith(host.Server.Url + "/v1/chat/completions");
        OpenAiTestHost.Header(request, "Authorization").Should().BeNull();
        OpenAiTestHost.Body(request).GetProperty("model").GetString().Should().Be("llama3.1:8b");
    }

    [Fact]
    public async Task An_attempt_that_times_out_fails_as_transient()
    {
        using var host = new OpenAiTestHost(o =>
        {
            o.ChatTimeout = TimeSpan.FromMilliseconds(200);
            o.MaxRetries = 0;
        });
        host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(200, ChatResponses.Outline(true, "One")).WithDelay(TimeSpan.FromSeconds(3)));
        var provider = host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Message.Should().Contain("timed out");
    }

    [Fact]
    public async Task MaxRetries_zero_makes_a_single_attempt()
    {
        using var host = new OpenAiTestHost(o => o.MaxRetries = 0);
        host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(503, ChatResponses.Error("Overloaded")));
        var provider = host.Get<ILlmProvider>();

        var act = () => provider.OutlineAsync(Book);

        (await act.Should().ThrowAsync<ProviderException>()).Which.IsTransient.Should().BeTrue();
        host.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task Cancelling_the_caller_token_throws_OperationCanceledException_not_a_provider_error()
    {
        _host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost())
            .RespondWith(Json(200, ChatResponses.Outline(true, "One")).WithDelay(TimeSpan.FromSeconds(3)));
        var provider = _host.Get<ILlmProvider>();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var act = () => provider.OutlineAsync(Book, cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task A_json_answer_wrapped_in_a_markdown_fence_is_accepted()
    {
        RespondWith(200, ChatResponses.Completion("```json\n{\"summary\": \"Plain words.\"}\n```"));
        var provider = _host.Get<ILlmProvider>();

        var summary = await provider.SummarizeChapterAsync(Book, new ChapterHeading(1, "Intro"));

        summary.Text.Should().Be("Plain words.");
    }

    private static string AllMessageText(JsonElement body)
        => string.Join("\n", body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content") switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            var parts => string.Join("\n", parts.EnumerateArray().Select(p => p.GetProperty("text").GetString())),
        }));

    private static IResponseBuilder Json(int status, string body)
        => Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    private void RespondWith(int status, string body)
        => _host.Server.Given(Request.Create().WithPath(ChatPath).UsingPost()).RespondWith(Json(status, body));
}
