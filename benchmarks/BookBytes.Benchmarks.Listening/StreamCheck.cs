using System.ClientModel;
using System.Diagnostics;
using System.Text;
using OpenAI;
using OpenAI.Chat;

namespace BookBytes.Benchmarks.Listening;

/// <summary>
/// <c>check-stream</c>: the stand-in read by the OpenAI .NET SDK the host's provider is built on, streamed and not, for one
/// summary; prints when the first content arrived, how many updates came, the finish reason, the usage, and whether the
/// text equals what the stand-in meant to send. It shows the server-sent events are what a real client parses.
/// </summary>
internal static class StreamCheck
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var book = ListenScenario.Book(1, 20);
        await using var standIn = await StandInServer.StartAsync(options.Model, clock, [book], cancellationToken);
        var client = new ChatClient("gpt-4o-mini", new ApiKeyCredential("sk-check"), new OpenAIClientOptions { Endpoint = new Uri(standIn.OpenAiEndpoint) });
        var messages = new List<ChatMessage> { new UserChatMessage($"Book: {book.Title}\nChapter to summarise: chapter 1, \"{book.ChapterTitles[0]}\"\nWrite a summary of about 500 words of this chapter only.") };
        var format = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("chapter_summary", BinaryData.FromString("""{"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"],"additionalProperties":false}"""), jsonSchemaIsStrict: true),
        };
        var expected = standIn.Summary(1, 1, 500).Content;
        var tokens = options.Model.Tokens(expected.Length);
        Console.WriteLine($"model: {options.Model.Describe()}; expected {expected.Length} characters = {tokens} tokens → whole answer {options.Model.ChatTime(tokens).TotalSeconds:0.000} s");

        var start = clock.Elapsed;
        TimeSpan? first = null;
        var updates = 0;
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync(messages, format, cancellationToken))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                first ??= clock.Elapsed;
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        var streamed = clock.Elapsed - start;
        Console.WriteLine($"streamed: first content after {(first - start)?.TotalSeconds:0.000} s, end after {streamed.TotalSeconds:0.000} s, {updates} updates, finish {finish}, usage {usage?.InputTokenCount}/{usage?.OutputTokenCount}, text equal: {text.ToString() == expected}");

        start = clock.Elapsed;
        var whole = await client.CompleteChatAsync(messages, format, cancellationToken);
        var took = clock.Elapsed - start;
        var ok = text.ToString() == expected && whole.Value.Content[0].Text == expected && finish == ChatFinishReason.Stop && usage is not null;
        Console.WriteLine($"not streamed: answer after {took.TotalSeconds:0.000} s, finish {whole.Value.FinishReason}, usage {whole.Value.Usage.InputTokenCount}/{whole.Value.Usage.OutputTokenCount}, text equal: {whole.Value.Content[0].Text == expected}");
        var calls = standIn.Calls;
        Console.WriteLine($"stand-in log: {string.Join("; ", calls.Select(c => $"{c.Kind} streamed={c.Streamed} first byte {(c.FirstByte - c.Arrived).TotalSeconds:0.000} s end {(c.Ended - c.Arrived).TotalSeconds:0.000} s status {c.Status}"))}");
        Console.WriteLine(ok ? "check-stream: OK" : "check-stream: FAILED");
        return ok ? 0 : 1;
    }
}
