using System.Net;
using System.Runtime.CompilerServices;
using BookBytes.Llm;
using BookBytes.Providers.ExtensionsAI.Chat;
using Microsoft.Extensions.AI;

namespace BookBytes.Providers.ExtensionsAI.Tests;

public sealed class ChatClientLlmProviderStreamingTests
{
    private static readonly BookContext Book = new("Thinking, Fast and Slow", ["Daniel Kahneman"], "de", Description: "Two systems.", SummaryWords: 450);

    private static readonly ChapterHeading Chapter = new(2, "Attention");

    private readonly ScriptedChatClient _client = new();

    private readonly List<string> _pieces = [];

    /// <summary>How many pieces onText had been given (and had finished with) each time the provider asked for the next update.</summary>
    private readonly List<int> _piecesWhenAsked = [];

    [Fact]
    public async Task Each_piece_is_given_and_awaited_before_the_next_update_is_read()
    {
        StreamUpdates(
            Text("""{"summ"""),
            Text("""ary": "First part"""),
            Text(""" and \"more\".\r\n\r"""),
            Text("""\n\r\nSecond."}"""),
            End(ChatFinishReason.Stop, input: 7, output: 3));

        var summary = await new ChatClientLlmProvider(_client).StreamChapterSummaryAsync(Book, Chapter, SlowCollect);

        _pieces.Should().Equal("First part", " and \"more\".\r\n\r", "\n\r\nSecond.");
        _piecesWhenAsked.Should().Equal([0, 0, 1, 2, 3, 3], "a piece is given before the next update is asked for, and only after onText has finished");
        summary.Should().Be(new ChapterSummary("First part and \"more\".\n\nSecond.", new LlmUsage(7, 3)));
        string.Concat(_pieces).Should().Be("First part and \"more\".\r\n\r\n\r\nSecond.", "the pieces are the answer's text before normalising");
    }

    [Fact]
    public async Task A_piece_arrives_while_the_answer_is_still_being_written()
    {
        var rest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _client.Stream = (_, _, token) => Updates(token, rest.Task);
        var provider = new ChatClientLlmProvider(_client);

        var call = provider.StreamChapterSummaryAsync(Book, Chapter, (piece, _) =>
        {
            first.TrySetResult(piece);
            return ValueTask.CompletedTask;
        });
        var seen = await Task.WhenAny(first.Task, call);

        seen.Should().BeSameAs(first.Task, "the first piece comes while the model still writes");
        (await first.Task).Should().Be("Started");
        call.IsCompleted.Should().BeFalse();
        rest.SetResult();
        (await call).Text.Should().Be("Started, then finished.");

        async IAsyncEnumerable<ChatResponseUpdate> Updates([EnumeratorCancellation] CancellationToken token, Task rest)
        {
            yield return Text("""{"summary":"Started""");

            // The model writes on only once the test has seen the first piece; a provider that held it back would
            // not wait here, and the call would end before the piece came.
            if (first.Task.IsCompleted)
            {
                await rest.WaitAsync(token);
            }

            yield return Text(""", then finished."}""");
            yield return End(ChatFinishReason.Stop);
        }
    }

    [Fact]
    public async Task A_text_summary_streams_with_its_own_schema_and_the_same_options()
    {
        StreamUpdates(Text("""{"summary":"Grounded"""), Text(""" text."}"""), End(ChatFinishReason.Stop, input: 1500, output: 260));
        var request = new TextSummaryRequest(new ChapterHeading(1, "Intro"), "The chapter's text.", SummaryScope.Part, 200, Part: 1, Parts: 2);

        var summary = await new ChatClientLlmProvider(_client, new ChatClientLlmOptions { ModelId = "my-model", MaxOutputTokens = 900 })
            .StreamTextSummaryAsync(Book, request, Collect);

        summary.Should().Be(new ChapterSummary("Grounded text.", new LlmUsage(1500, 260)));
        _pieces.Should().Equal("Grounded", " text.");
        var (messages, options) = _client.Calls.Should().ContainSingle().Subject;
        messages[1].Text.Should().Contain("<<<TEXT\nThe chapter's text.\nTEXT>>>");
        options!.ModelId.Should().Be("my-model");
        options.MaxOutputTokens.Should().Be(900);
        options.AdditionalProperties!["strict"].Should().Be(true);
        ((ChatResponseFormatJson)options.ResponseFormat!).SchemaName.Should().Be("text_summary");
    }

    [Fact]
    public async Task A_fenced_answer_streams_its_summary()
    {
        StreamUpdates(Text("```js"), Text("on\n{\"summary\":"), Text("\"Fenced.\"}\n``"), Text("`"), End(ChatFinishReason.Stop));

        var summary = await new ChatClientLlmProvider(_client).StreamChapterSummaryAsync(Book, Chapter, Collect);

        summary.Text.Should().Be("Fenced.");
        _pieces.Should().Equal("Fenced.");
    }

    public static TheoryData<string, ChatResponseUpdate[], bool, string> UnusableStreams() => new()
    {
        { "cut off", [Text("""{"summary":"In this chap"""), End(ChatFinishReason.Length)], true, "finish_reason=length" },
        { "filtered", [Text("""{"summary":"Some"""), End(ChatFinishReason.ContentFilter)], false, "content_filter" },
        { "refused", [Text("""{"summary":"I will"""), new ChatResponseUpdate(ChatRole.Assistant, [new ErrorContent("I can't help with that.")]), End(ChatFinishReason.Stop)], false, "refused: I can't help with that." },
        { "invalid JSON after the summary", [Text("""{"summary":"Fine so far."""), Text(""" oops}"""), End(ChatFinishReason.Stop)], true, "not valid JSON" },
        { "summary not closed", [Text("""{"summary":"Never closed"""), End(ChatFinishReason.Stop)], true, "not valid JSON" },
        { "blank summary", [Text("""{"summary":" \n"""), Text("""  "}"""), End(ChatFinishReason.Stop)], true, "summary is empty" },
    };

    [Theory]
    [MemberData(nameof(UnusableStreams))]
    public async Task An_unusable_answer_after_text_throws_as_the_same_answer_does_unstreamed(string what, ChatResponseUpdate[] updates, bool transient, string reason)
    {
        StreamUpdates(updates);
        var unstreamed = new ScriptedChatClient { Respond = (_, _, _) => Task.FromResult(updates.ToChatResponse()) };
        var expected = (await FluentActions.Awaiting(() => new ChatClientLlmProvider(unstreamed).SummarizeChapterAsync(Book, Chapter))
            .Should().ThrowAsync<ProviderResponseException>()).Which;

        var act = () => new ChatClientLlmProvider(_client).StreamChapterSummaryAsync(Book, Chapter, Collect);

        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>(what)).Which;
        _pieces.Should().NotBeEmpty("{0} gave text before it failed", what);
        thrown.IsTransient.Should().Be(transient, what).And.Be(expected.IsTransient, "the unstreamed call judges {0} so", what);
        thrown.ErrorCode.Should().Be(ErrorCodes.ProviderInvalidResponse);
        thrown.Message.Should().Be(expected.Message).And.Contain(reason).And.Contain("Chat completion (chapter summary)").And.Contain("scripted-model");
    }

    [Fact]
    public async Task An_answer_naming_the_summary_twice_is_refused_since_the_text_given_may_not_be_the_one_parsed()
    {
        StreamUpdates(Text("""{"summary":"First.","summary":"Second."}"""), End(ChatFinishReason.Stop));

        var act = () => new ChatClientLlmProvider(_client).StreamChapterSummaryAsync(Book, Chapter, Collect);

        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Message.Should().Contain("not the answer's summary");
        _pieces.Should().Equal("First.");
    }

    [Fact]
    public async Task An_answer_that_is_not_JSON_gives_no_text_and_throws_at_the_end()
    {
        StreamUpdates(Text("Here is a summary: "), Text("it is about thinking."), End(ChatFinishReason.Stop));

        var act = () => new ChatClientLlmProvider(_client).StreamChapterSummaryAsync(Book, Chapter, Collect);

        (await act.Should().ThrowAsync<ProviderResponseException>()).Which.IsTransient.Should().BeTrue();
        _pieces.Should().BeEmpty();
    }

    public static TheoryData<Exception, Type, bool, int?> Failures() => new()
    {
        { new HttpRequestException("down", null, HttpStatusCode.BadGateway), typeof(ProviderException), true, 502 },
        { new HttpRequestException("who are you", null, HttpStatusCode.Unauthorized), typeof(ProviderConfigurationException), false, 401 },
        { new IOException("the connection was reset"), typeof(ProviderException), true, null },
        { new InvalidOperationException("misconfigured client"), typeof(ProviderException), false, null },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failure_while_streaming_becomes_a_ProviderException_judged_by_its_status(Exception failure, Type expected, bool transient, int? status)
    {
        _client.Stream = (_, _, _) => FailAfterText(failure);

        var act = () => new ChatClientLlmProvider(_client).StreamChapterSummaryAsync(Book, Chapter, Collect);

        var thrown = (await act.Should().ThrowAsync<ProviderException>()).Which;
        thrown.Should().BeOfType(expected);
        thrown.IsTransient.Should().Be(transient);
        thrown.StatusCode.Should().Be(status);
        thrown.Message.Should().Contain("Chat completion (chapter summary)");
        _pieces.Should().Equal("Begun");
    }

    [Fact]
    public async Task A_ProviderException_the_stream_throws_passes_unchanged()
    {
        var own = new ProviderException("translated by the provider package", isTransient: true) { RetryAfter = TimeSpan.FromSeconds(3) };
        _client.Stream = (_, _, _) => FailAfterText(own);

        var act = () => new ChatClientLlmProvider(_client).StreamTextSummaryAsync(Book, new TextSummaryRequest(Chapter, "Text.", SummaryScope.Chapter, 100), Collect);

        (await act.Should().ThrowAsync<ProviderException>()).Which.Should().BeSameAs(own);
    }

    [Fact]
    public async Task What_onText_throws_passes_unchanged_and_ends_the_stream()
    {
        var own = new InvalidOperationException("the speech pipeline broke");
        StreamUpdates(Text("""{"summary":"One"""), Text(""" two."}"""), End(ChatFinishReason.Stop));

        var act = () => new ChatClientLlmProvider(_client).StreamChapterSummaryAsync(Book, Chapter, (_, _) => throw own);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Should().BeSameAs(own);
        _piecesWhenAsked.Should().Equal([0], "no update is read after onText failed");
    }

    [Fact]
    public async Task Cancelling_while_streaming_throws_OperationCanceledException_and_gives_no_more_text()
    {
        using var cts = new CancellationTokenSource();
        StreamUpdates(Text("""{"summary":"One"""), Text(""" two."}"""), End(ChatFinishReason.Stop));

        var act = () => new ChatClientLlmProvider(_client).StreamChapterSummaryAsync(Book, Chapter, async (piece, token) =>
        {
            _pieces.Add(piece);
            await cts.CancelAsync();
            token.IsCancellationRequested.Should().BeTrue("onText gets the call's token");
        }, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        _pieces.Should().Equal("One");
    }

    [Fact]
    public async Task A_stream_that_ends_quietly_when_cancelled_still_ends_in_OperationCanceledException()
    {
        using var cts = new CancellationTokenSource();
        _client.Stream = (_, _, token) => QuietWhenCancelled(token);

        var act = () => new ChatClientLlmProvider(_client).StreamChapterSummaryAsync(Book, Chapter, async (piece, _) =>
        {
            _pieces.Add(piece);
            await cts.CancelAsync();
        }, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        _pieces.Should().Equal("Begun");

        // As OllamaSharp does: it stops reading quietly and ends the stream, with no error and no finish reason.
        static async IAsyncEnumerable<ChatResponseUpdate> QuietWhenCancelled([EnumeratorCancellation] CancellationToken token)
        {
            await Task.Yield();
            yield return Text("""{"summary":"Begun""");
            if (token.IsCancellationRequested)
            {
                yield break;
            }

            yield return Text(""" and done."}""");
        }
    }

    [Fact]
    public async Task Null_onText_is_refused()
    {
        var act = () => new ChatClientLlmProvider(_client).StreamChapterSummaryAsync(Book, Chapter, null!);

        await act.Should().ThrowAsync<ArgumentNullException>().WithParameterName("onText");
        _client.Calls.Should().BeEmpty();
    }

    private static ChatResponseUpdate Text(string text) => new(ChatRole.Assistant, text) { MessageId = "m1" };

    private static ChatResponseUpdate End(ChatFinishReason finish, long input = 100, long output = 40)
        => new(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = input, OutputTokenCount = output })])
        {
            MessageId = "m1",
            FinishReason = finish,
        };

    private static async IAsyncEnumerable<ChatResponseUpdate> FailAfterText(Exception failure)
    {
        await Task.Yield();
        yield return Text("""{"summary":"Begun""");
        throw failure;
    }

    private void StreamUpdates(params ChatResponseUpdate[] updates) => _client.Stream = (_, _, token) => Recorded(updates, token);

    private async IAsyncEnumerable<ChatResponseUpdate> Recorded(ChatResponseUpdate[] updates, [EnumeratorCancellation] CancellationToken token)
    {
        foreach (var update in updates)
        {
            await Task.Yield();
            token.ThrowIfCancellationRequested();
            _piecesWhenAsked.Add(_pieces.Count);
            yield return update;
        }

        _piecesWhenAsked.Add(_pieces.Count);
    }

    private ValueTask Collect(string piece, CancellationToken cancellationToken)
    {
        _pieces.Add(piece);
        return ValueTask.CompletedTask;
    }

    private async ValueTask SlowCollect(string piece, CancellationToken cancellationToken)
    {
        // Finishes only after the provider would have read on, had it not awaited it.
        await Task.Yield();
        await Task.Yield();
        _pieces.Add(piece);
    }
}
