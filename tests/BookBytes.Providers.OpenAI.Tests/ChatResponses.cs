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

    /// <summary>
    /// A streamed chat completion as the API sends it with <c>stream: true</c> and <c>stream_options.include_usage</c>:
    /// server-sent events with a role chunk, one chunk per piece of <paramref name="contents"/>, a chunk with the finish
    /// reason, a chunk with the usage and no choices, then <c>[DONE]</c>.
    /// </summary>
    public static string Stream(IEnumerable<string> contents, string finishReason = "stop", long promptTokens = 120, long completionTokens = 45)
    {
        var events = new List<object>
        {
            Chunk(new { role = "assistant", content = string.Empty, refusal = (string?)null }, null),
        };
        events.AddRange(contents.Select(content => Chunk(new { content }, null)));
        events.Add(Chunk(new { }, finishReason));
        events.Add(new
        {
            id = "chatcmpl-test",
            @object = "chat.completion.chunk",
            created = 1_700_000_000,
            model = "gpt-4o-mini-2024-07-18",
            system_fingerprint = "fp_test",
            choices = Array.Empty<object>(),
            usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens },
        });
        return string.Concat(events.Select(e => "data: " + JsonSerializer.Serialize(e) + "\n\n")) + "data: [DONE]\n\n";

        static object Chunk(object delta, string? finish) => new
        {
            id = "chatcmpl-test",
            @object = "chat.completion.chunk",
            created = 1_700_000_000,
            model = "gpt-4o-mini-2024-07-18",
            system_fingerprint = "fp_test",
            choices = new[] { new { index = 0, delta, logprobs = (object?)null, finish_reason = finish } },
            usage = (object?)null,
        };
    }

    public static string Error(string message, string type = "invalid_request_error")
        => JsonSerializer.Serialize(new { error = new { message, type, param = (string?)null, code = (string?)null } });
}
