using System.Text.Json;
using BookBytes.Llm;
using BookBytes.Testing.Fakes;

namespace BookBytes.Providers.OpenAI.Tests;

/// <summary>Streamed summaries over OpenAI's Chat Completions streaming (server-sent events).</summary>
public sealed class OpenAiStreamingTests : IDisposable
{
    private const string ChatPath = "/v1/chat/completions";

    private static readonly BookContext Book = new("Thinking, Fast and Slow", ["Daniel Kahneman"], "en", SummaryWords: 300);

    private readonly OpenAiTestHost _host = new();

    private readonly List<string> _pieces = [];

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_streamed_summary_asks_for_a_stream_with_usage_and_the_strict_schema_and_gives_the_pieces()
    {
        RespondWithStream(
            ["{\"sum", "mary\":\"Effort is", " limited; \\\"fast\\\" thinking", " is cheap.\\n\\n\\nIt costs", " little, caf\\u00", "e9.\"}"],
            promptTokens: 1200,
            completionTokens: 210);

        var summary = await _host.Get<ILlmProvider>().StreamChapterSummaryAsync(Book, new ChapterHeading(2, "Attention and Effort"), Collect);

        _pieces.Should().Equal("Effort is", " limited; \"fast\" thinking", " is cheap.\n\n\nIt costs", " little, caf", "é.");
        summary.Should().Be(new ChapterSummary("Effort is limited; \"fast\" thinking is cheap.\n\nIt costs little, café.", new LlmUsage(1200, 210)));
        var request = _host.Requests.Should().ContainSingle().Subject;
        request.RequestMessage.Path.Should().Be(ChatPath);
        var body = OpenAiTestHost.Body(request);
        body.GetProperty("model").GetString().Should().Be("gpt-4o-mini");
        body.GetProperty("stream").GetBoolean().Should().BeTrue();
        body.GetProperty("stream_options").GetRawText().Should().Be("""{"include_usage":true}""");
        var jsonSchema = body.GetProperty("response_format").GetProperty("json_schema");
        body.GetProperty("response_format").GetProperty("type").GetString().Should().Be("json_schema");
        jsonSchema.GetProperty("name").GetString().Should().Be("chapter_summary");
        jsonSchema.GetProperty("strict").GetBoolean().Should().BeTrue();
        jsonSchema.GetProperty("schema").GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("summary");
    }

    [Fact]
    public async Task A_streamed_text_summary_sends_the_text_and_its_schema()
    {
        RespondWithStream(["{\"summary\":\"Grounded", " summary.\"}"]);

        var summary = await _host.Get<ILlmProvider>().StreamTextSummaryAsync(
            Book, new TextSummaryRequest(new ChapterHeading(1, "Intro"), "The chapter's own text.", SummaryScope.Chapter, 200), Collect);

        summary.Text.Should().Be("Grounded summary.");
        _pieces.Should().Equal("Grounded", " summary.");
        var body = OpenAiTestHost.Body(_host.Requests.Single());
        body.GetProperty("stream").GetBoolean().Should().BeTrue();
        body.GetProperty("response_format").GetProperty("json_schema").GetProperty("name").GetString().Should().Be("text_summary");
        body.GetProperty("messages").EnumerateArray().Last().GetProperty("content").ToString().Should().Contain("<<<TEXT\nThe chapter's own text.\nTEXT>>>");
    }

    [Fact]
    public async Task A_stream_cut_off_at_the_token_limit_throws_a_transient_ProviderResponseException_after_its_text()
    {
        RespondWithStream(["{\"summary\":\"In this chapter", " Kahneman"], finishReason: "length");

        var act = () => _host.Get<ILlmProvider>().StreamChapterSummaryAsync(Book, new ChapterHeading(1, "Intro"), Collect);

        var thrown = (await act.Should().ThrowAsync<ProviderResponseException>()).Which;
        thrown.IsTransient.Should().BeTrue();
        thrown.Message.Should().Contain("finish_reason=length").And.Contain("Chat completion (chapter summary)");
        _pieces.Should().Equal("In this chapter", " Kahneman");
    }

    private void RespondWithStream(string[] contents, string finishReason = "stop", long promptTokens = 120, long completionTokens = 45)
        => _host.Server.Reply(ChatPath, 200, ChatResponses.Stream(contents, finishReason, promptTokens, completionTokens), contentType: "text/event-stream");

    private ValueTask Collect(string piece, CancellationToken cancellationToken)
    {
        _pieces.Add(piece);
        return ValueTask.CompletedTask;
    }
}
