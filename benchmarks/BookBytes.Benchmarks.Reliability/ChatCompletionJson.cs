using System.Text.Json;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>The body of an OpenAI <c>chat.completion</c> whose message is <c>content</c>: whole, or streamed as server-sent events.</summary>
internal static class ChatCompletionJson
{
    public const string Model = "gpt-4o-mini-2024-07-18";

    public static string NewId() => "chatcmpl-fake-" + Guid.NewGuid().ToString("N")[..12];

    public static string Completion(string content, int promptTokens = 300, int completionTokens = 700) => JsonSerializer.Serialize(new
    {
        id = NewId(),
        @object = "chat.completion",
        created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        model = Model,
        choices = new[] { new { index = 0, message = new { role = "assistant", content, refusal = (string?)null }, logprobs = (object?)null, finish_reason = "stop" } },
        usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens },
    });

    /// <summary>The same answer streamed (<c>"stream": true</c>): chat.completion.chunk events of 64 characters, the finish, the usage, <c>[DONE]</c>.</summary>
    public static string Events(string content, int promptTokens = 300, int completionTokens = 700)
    {
        var id = NewId();
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var events = new System.Text.StringBuilder();
        void Event(object chunk) => events.Append("data: ").Append(JsonSerializer.Serialize(chunk)).Append("\n\n");
        for (var at = 0; at < content.Length; at += 64)
        {
            var piece = content.Substring(at, Math.Min(64, content.Length - at));
            Event(new { id, @object = "chat.completion.chunk", created, model = Model, choices = new[] { new { index = 0, delta = new { content = piece }, logprobs = (object?)null, finish_reason = (string?)null } } });
        }

        Event(new { id, @object = "chat.completion.chunk", created, model = Model, choices = new[] { new { index = 0, delta = new { }, logprobs = (object?)null, finish_reason = "stop" } } });
        Event(new { id, @object = "chat.completion.chunk", created, model = Model, choices = Array.Empty<object>(), usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens } });
        return events.Append("data: [DONE]\n\n").ToString();
    }
}
