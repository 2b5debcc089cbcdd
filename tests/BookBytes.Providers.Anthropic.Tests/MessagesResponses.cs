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

    public static string Error(string message, string type = "invalid_request_error")
        => JsonSerializer.Serialize(new { type = "error", error = new { type, message }, request_id = "req_test" });
}
