using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BookBytes.Testing.Fakes;
using Microsoft.Extensions.AI;

namespace BookBytes.Providers.ExtensionsAI.Tests;

/// <summary>
/// An application's own <see cref="IChatClient"/> — a Microsoft.Extensions.AI implementation, no BookBytes
/// type — that answers as a model following the schema would, or as <see cref="Respond"/> says.
/// </summary>
internal sealed class ScriptedChatClient : IChatClient
{
    public ConcurrentQueue<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = new();

    /// <summary>Overrides the answer; <see langword="null"/> answers like a model that knows the book.</summary>
    public Func<IReadOnlyList<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>>? Respond { get; set; }

    /// <summary>Overrides the streamed answer; <see langword="null"/> streams the answer <see cref="GetResponseAsync"/> gives.</summary>
    public Func<IReadOnlyList<ChatMessage>, ChatOptions?, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>>? Stream { get; set; }

    public string[] Titles { get; set; } = ["The First Chapter", "The Second Chapter", "The Third Chapter"];

    public int SummaryWords { get; set; } = 80;

    public static ChatResponse Answer(string json, ChatFinishReason? finish = null, long input = 100, long output = 40)
        => new(new ChatMessage(ChatRole.Assistant, json))
        {
            FinishReason = finish ?? ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output },
        };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        Calls.Enqueue((list, options));
        if (Respond is { } respond)
        {
            return respond(list, options, cancellationToken);
        }

        var schema = (options?.ResponseFormat as ChatResponseFormatJson)?.SchemaName;
        if (schema == "book_outline")
        {
            var chapters = Titles.Select((t, i) => new { number = i + 1, title = t });
            return Task.FromResult(Answer(JsonSerializer.Serialize(new { known = true, chapters })));
        }

        var user = list.Last().Text;
        var number = Enumerable.Range(1, Titles.Length).First(n => user.Contains($"chapter {n},", StringComparison.Ordinal));
        return Task.FromResult(Answer(JsonSerializer.Serialize(new { summary = FakeLlmProvider.SummaryText(number, Titles[number - 1], SummaryWords) })));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Stream is { } stream)
        {
            var list = messages.ToList();
            Calls.Enqueue((list, options));
            await foreach (var streamed in stream(list, options, cancellationToken).WithCancellation(cancellationToken))
            {
                yield return streamed;
            }

            yield break;
        }

        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", defaultModelId: "scripted-model") : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
