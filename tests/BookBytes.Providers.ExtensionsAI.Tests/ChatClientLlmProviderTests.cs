using System.Net;
using System.Text.Json;
using BookBytes.Llm;
using BookBytes.Providers.ExtensionsAI.Chat;
using Microsoft.Extensions.AI;

namespace BookBytes.Providers.ExtensionsAI.Tests;

public sealed class ChatClientLlmProviderTests
{
    private static readonly BookContext Book = new("Thinking, Fast and Slow", ["Daniel Kahneman"], "de", Description: "Two systems.", SummaryWords: 450);

    private readonly ScriptedChatClient _client = new();

    [Fact]
    public async Task The_outline_asks_for_the_strict_schema_with_the_book_in_the_prompt_and_reads_the_chapters_and_usage()
    {
        _client.Titles = ["One", "Two"];
        var provider = new ChatClientLlmProvider(_client, new ChatClientLlmOptions { ModelId = "my-model", MaxOutputTokens = 900 });

        var outline = await provider.OutlineAsync(Book with { KnownChapterTitles = ["Part One"] });

        outline.Should().BeEquivalentTo(new BookOutline(true, [new ChapterHeading(1, "One"), new ChapterHeading(2, "Two")], new LlmUsage(100, 40)));
        var (messages, options) = _client.Calls.Should().ContainSingle().Subject;
        messages.Select(m => m.Role).Should().Equal(ChatRole.System, ChatRole.User);
        messages[1].Text.Should().Contain("Thinking, Fast and Slow").And.Contain("Daniel Kahneman").And.Contain("German").And.Contain("Part One");
        options!.ModelId.Should().Be("my-model");
        options.MaxOutputTokens.Should().Be(900);
        options.AdditionalProperties!["strict"].Should().Be(true);
        var format = options.ResponseFormat.Should().BeOfType<ChatResponseFormatJson>().Subject;
        format.SchemaName.Should().Be("book_outline");
        format.Schema!.Value.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("known", "chapters");
        format.Schema.Value.GetProperty("additionalProperties").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task A_summary_asks_for_the_chapter_in_the_books_language_and_returns_clean_paragraphs()
    {
        _client.Respond = (_, _, _) => Task.FromResult(ScriptedChatClient.Answer("""{"summary":"First.\r\n\r\n\r\nSecond."}""", input: 7, output: 3));
        var provider = new ChatClientLlmProvider(_client);

        var summary = await provider.SummarizeChapterAsync(Book, new ChapterHeading(2, "Attention"));

        summary.Should().Be(new ChapterSummary("First.\n\nSecond.", new LlmUsage(7, 3)));
        var (messages, options) = _client.Calls.Single();
        messages[1].Text.Should().Contain("chapter 2").And.Contain("Attention").And.Contain("450 words").And.Contain("German");
        options!.ModelId.Should().BeNull("the client's own model answers unless one is configured");
        options.MaxOutputTokens.Should().BeNull();
        ((ChatResponseFormatJson)options.ResponseFormat!).SchemaName.Should().Be("chapter_summary");
    }

    [Fact]
    public async Task An_answer_without_usage_counts_zero_tokens()
    {
        _client.Respond = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, """{"summary":"Text."}""")));

        var summary = await new ChatClientLlmProvider(_client).SummarizeChapterAsync(Book, new ChapterHeading(1, "One"));

        summary.Usage.Should().Be(LlmUsage.Zero);
    }

    public static TheoryData<string, ChatResponse, bool, string> UnusableAnswers() => new()
    {
        { "cut off", ScriptedChatClient.Answer("""{"summary":"In this chap""", ChatFinishReason.Length), true, "finish_reason=length" },
        { "filtered", ScriptedChatClient.Answer("", ChatFinishReason.ContentFilter), false, "content_filter" },
        { "refused", new ChatResponse(new ChatMessage(ChatRole.Assistant, [new ErrorContent("I can't help with that.")])), false, "refused: I can't help with that." },
        { "not JSON", ScriptedChatClient.Answer("Here is a summary: it is about thinking."), true, "not valid JSON" },
        { "schema broken", ScriptedChatClient.Answer("""{"text":"x"}"""), true, "'summary' is missing" },
        { "empty", ScriptedChatClient.Answer(""), true, "no text content" },
        { "blank summary", ScriptedChatClient.Answer("""{"summary":"  "}"""), true, "summary is empty" },
    };

    [Theory]
    [MemberData(nameof(UnusableAnswers))]
    public async Task Unusable_answers_throw_ProviderResponseException_transient_only_when_asking_again_may_help(string what, ChatResponse answer, bool transient, string reason)
    {
        _client.Respond = (_, _, _) => Task.FromResult(answer);

        var act = () => new ChatClientLlmProvider(_client).SummarizeChapterAsync(Book, new ChapterHeading(1, "One"));

        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>(what)).Which;
        thrown.IsTransient.Should().Be(transient, what);
        thrown.ErrorCode.Should().Be(ErrorCodes.ProviderInvalidResponse);
        thrown.Message.Should().Contain(reason).And.Contain("scripted-model");
    }

    [Fact]
    public async Task An_outline_wrapped_in_a_markdown_fence_is_read()
    {
        _client.Respond = (_, _, _) => Task.FromResult(ScriptedChatClient.Answer("```json\n{\"known\":false,\"chapters\":[]}\n```"));

        var outline = await new ChatClientLlmProvider(_client).OutlineAsync(Book);

        outline.Known.Should().BeFalse();
        outline.Chapters.Should().BeEmpty();
    }

    [Fact]
    public async Task A_known_outline_without_chapters_breaks_the_schema()
    {
        _client.Respond = (_, _, _) => Task.FromResult(ScriptedChatClient.Answer("""{"known":true,"chapters":[]}"""));

        var act = () => new ChatClientLlmProvider(_client).OutlineAsync(Book);

        (await act.Should().ThrowAsync<ProviderResponseException>()).Which.Message.Should().Contain("chapter list is empty");
    }

    public static TheoryData<Exception, Type, bool, int?> Failures() => new()
    {
        { new HttpRequestException("busy", null, HttpStatusCode.TooManyRequests), typeof(ProviderException), true, 429 },
        { new HttpRequestException("down", null, HttpStatusCode.BadGateway), typeof(ProviderException), true, 502 },
        { new HttpRequestException("no such model", null, HttpStatusCode.NotFound), typeof(ProviderException), false, 404 },
        { new HttpRequestException("who are you", null, HttpStatusCode.Unauthorized), typeof(ProviderConfigurationException), false, 401 },
        { new SdkException(529), typeof(ProviderException), true, 529 },
        { new SdkException(400), typeof(ProviderException), false, 400 },
        { new HttpRequestException("connection refused"), typeof(ProviderException), true, null },
        { new TimeoutException("slow"), typeof(ProviderException), true, null },
        { new TaskCanceledException("the client's own time-out"), typeof(ProviderException), true, null },
        { new InvalidOperationException("misconfigured client"), typeof(ProviderException), false, null },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_clients_failure_becomes_a_ProviderException_judged_by_its_status(Exception failure, Type expected, bool transient, int? status)
    {
        _client.Respond = (_, _, _) => Task.FromException<ChatResponse>(failure);

        var act = () => new ChatClientLlmProvider(_client).OutlineAsync(Book);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.Should().BeOfType(expected);
        thrown.IsTransient.Should().Be(transient);
        thrown.StatusCode.Should().Be(status);
        thrown.Message.Should().Contain("Chat completion (outline)");
        if (expected == typeof(ProviderException))
        {
            thrown.InnerException.Should().BeSameAs(failure);
        }
    }

    [Fact]
    public async Task A_ProviderException_the_client_throws_passes_unchanged()
    {
        var own = new ProviderException("translated by the provider package", isTransient: true) { RetryAfter = TimeSpan.FromSeconds(3) };
        _client.Respond = (_, _, _) => Task.FromException<ChatResponse>(own);

        var act = () => new ChatClientLlmProvider(_client).OutlineAsync(Book);

        (await act.Should().ThrowAsync<ProviderException>()).Which.Should().BeSameAs(own);
    }

    [Fact]
    public async Task Cancelling_the_callers_token_throws_OperationCanceledException()
    {
        using var cts = new CancellationTokenSource();
        _client.Respond = async (_, _, token) =>
        {
            await cts.CancelAsync();
            token.ThrowIfCancellationRequested();
            return ScriptedChatClient.Answer("{}");
        };

        var act = () => new ChatClientLlmProvider(_client).OutlineAsync(Book, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task A_client_that_answers_empty_when_cancelled_still_ends_in_OperationCanceledException()
    {
        using var cts = new CancellationTokenSource();
        _client.Respond = async (_, _, _) =>
        {
            // As OllamaSharp does: it stops reading quietly and returns what it has, nothing.
            await cts.CancelAsync();
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Empty));
        };

        var act = () => new ChatClientLlmProvider(_client).SummarizeChapterAsync(Book, new ChapterHeading(1, "One"), cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void A_non_positive_output_limit_is_refused()
    {
        var act = () => new ChatClientLlmProvider(_client, new ChatClientLlmOptions { MaxOutputTokens = 0 });

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void The_schemas_are_sent_compactly()
    {
        _ = new ChatClientLlmProvider(_client).OutlineAsync(Book);

        var schema = ((ChatResponseFormatJson)_client.Calls.Single().Options!.ResponseFormat!).Schema!.Value;
        schema.GetRawText().Should().NotContain("\n").And.StartWith("{\"type\":\"object\"");
        JsonSerializer.Serialize(schema).Should().Be(schema.GetRawText());
    }

    // Stands for an SDK exception that carries its status as a property (as the Anthropic and OpenAI SDKs do).
    private sealed class SdkException(int status) : Exception("SDK failure " + status)
    {
        public HttpStatusCode StatusCode { get; } = (HttpStatusCode)status;
    }
}
