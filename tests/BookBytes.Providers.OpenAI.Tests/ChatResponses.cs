using System.Text.Json;
using BookBytes.Testing.OpenAi;

namespace BookBytes.Providers.OpenAI.Tests;

/// <summary>Chat Completions response bodies as the OpenAI API sends them.</summary>
internal static class ChatResponses
{
    public static string Completion(string content, string finishReason = "stop", string? refusal = null, long promptTokens = 120, long completionTokens = 45)
        => OpenAiChatWire.Completion(content, finishReason, refusal, promptTokens, completionTokens);

    public static string Outline(bool known, params string[] titles)
        => Completion(JsonSerializer.Serialize(new
        {
            known,
            chapters = titles.Select((title, i) => new { number = i + 1, title }).ToArray(),
        }));

    public static string Summary(string summary) => Completion(JsonSerializer.Serialize(new { summary }));

    /// <summary>A streamed chat completion as the API sends it (<see cref="OpenAiChatWire.Stream"/>).</summary>
    public static string Stream(IEnumerable<string> contents, string finishReason = "stop", long promptTokens = 120, long completionTokens = 45)
        => OpenAiChatWire.Stream(contents, finishReason, promptTokens, completionTokens);

    public static string Error(string message, string type = "invalid_request_error")
        => JsonSerializer.Serialize(new { error = new { message, type, param = (string?)null, code = (string?)null } });
}
