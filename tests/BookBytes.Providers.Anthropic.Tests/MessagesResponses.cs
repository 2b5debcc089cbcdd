using System.Text.Json;

namespace BookBytes.Providers.Anthropic.Tests;

/// <summary>Messages API response bodies as the Anthropic API sends them.</summary>
internal static class MessagesResponses
{
    public static string Message(string text, string stopReason = "end_turn", long inputTokens = 120, long outputTokens = 45)
        => JsonSerializer.Serialize(new
        {
            id = "msg_test",
            type = "message",
            role = "assistant",
            model = "claude-sonnet-4-5-20250929",
            content = text.Length == 0 ? Array.Empty<object>() : [new { type = "text", text }],
            stop_reason = stopReason,
            stop_sequence = (string?)null,
            usage = new { input_tokens = inputTokens, output_tokens = outputTokens },
        });

    public static string Outline(bool known, params string[] titles)
        => Message(JsonSerializer.Serialize(new
        {
            known,
            chapters = titles.Select((title, i) => new { number = i + 1, title }).ToArray(),
        }));

    public static string Summary(string summary) => Message(JsonSerializer.Serialize(new { summary }));

    /// <summary>
    /// The same answer streamed (<c>"stream": true</c>), as the Messages API sends it: <c>message_start</c>, a text
    /// <c>content_block_start</c>, <c>content_block_delta</c> events of <c>text_delta</c> pieces, <c>content_block_stop</c>,
    /// <c>message_delta</c> with the stop reason and output tokens, <c>message_stop</c>.
    /// </summary>
    public static string Stream(string text, string stopReason = "end_turn", long inputTokens = 120, long outputTokens = 45)
    {
        var events = new System.Text.StringBuilder();
        void Event(string name, object data) => events.Append("event: ").Append(name).Append('\n').Append("data: ").Append(JsonSerializer.Serialize(data)).Append("\n\n");
        Event("message_start", new
        {
            type = "message_start",
            message = new
            {
                id = "msg_test", type = "message", role = "assistant", model = "claude-sonnet-4-5-20250929", content = Array.Empty<object>(),
                stop_reason = (string?)null, stop_sequence = (string?)null, usage = new { input_tokens = inputTokens, output_tokens = 1 },
            },
        });
        Event("content_block_start", new { type = "content_block_start", index = 0, content_block = new { type = "text", text = string.Empty } });
        for (var at = 0; at < text.Length; at += 16)
        {
            Event("content_block_delta", new { type = "content_block_delta", index = 0, delta = new { type = "text_delta", text = text.Substring(at, Math.Min(16, text.Length - at)) } });
        }

        Event("content_block_stop", new { type = "content_block_stop", index = 0 });
        Event("message_delta", new { type = "message_delta", delta = new { stop_reason = stopReason, stop_sequence = (string?)null }, usage = new { output_tokens = outputTokens } });
        Event("message_stop", new { type = "message_stop" });
        return events.ToString();
    }

    public static string Error(string message, string type = "invalid_request_error")
        => JsonSerializer.Serialize(new { type = "error", error = new { type, message }, request_id = "req_test" });
}
