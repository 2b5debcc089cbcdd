using System.Text.Json;

namespace BookBytes.Providers.OpenAI.Tests;

/// <summary>Chat Completions response bodies as the OpenAI API sends them.</summary>
internal static class ChatResponses
{
    public static string Completion(string content, string finishReason = "stop", string? refusal = null, long promptTokens = 120, long completionTokens = 45)
        => JsonSerializer.Serialize(new
        {
            id = "chatcmpl-test",
            @object = "chat.completion",
            created = 1_700_000_000,
            model = "gpt-4o-mini-2024-07-18",
            choices = new[]
            {
                new
                {
                    index = 0,
                    message = new { role = "assistant", content = refusal is null ? content : null, refusal },
                    logprobs = (object?)null,
                    finish_reason = finishReason,
                },
            },
            usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens },
        });

    public static string Outline(bool known, params string[] titles)
        => Completion(JsonSerializer.Serialize(new
        {
            known,
            chapters = titles.Select((title, i) => new { number = i + 1, title }).ToArray(),
        }));

    public static string Summary(string summary) => Completion(JsonSerializer.Serialize(new { summary }));

    public static string Error(string message, string type = "invalid_request_error")
        => JsonSerializer.Serialize(new { error = new { message, type, param = (string?)null, code = (string?)null } });
}
