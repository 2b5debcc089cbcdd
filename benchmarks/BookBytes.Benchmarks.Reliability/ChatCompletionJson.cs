using System.Text.Json;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>The body of a non-streamed OpenAI <c>chat.completion</c> whose message is <c>content</c>.</summary>
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
}
