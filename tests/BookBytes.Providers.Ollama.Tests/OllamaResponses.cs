using System.Text.Json;

namespace BookBytes.Providers.Ollama.Tests;

/// <summary><c>/api/chat</c> answers as Ollama sends them with <c>stream:false</c>.</summary>
internal static class OllamaResponses
{
    public static string Chat(string content, string doneReason = "stop", long promptEvalCount = 120, long evalCount = 45)
        => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = "llama3.2",
            ["created_at"] = "2025-01-15T10:20:30.123456Z",
            ["message"] = new { role = "assistant", content },
            ["done"] = true,
            ["done_reason"] = doneReason,
            ["total_duration"] = 4_883_583_458L,
            ["load_duration"] = 1_334_875L,
            ["prompt_eval_count"] = promptEvalCount,
            ["prompt_eval_duration"] = 342_546_000L,
            ["eval_count"] = evalCount,
            ["eval_duration"] = 4_535_599_000L,
        });

    public static string Outline(bool known, params string[] titles)
        => Chat(JsonSerializer.Serialize(new
        {
            known,
            chapters = titles.Select((title, i) => new { number = i + 1, title }).ToArray(),
        }));

    public static string Summary(string summary) => Chat(JsonSerializer.Serialize(new { summary }));

    public static string Error(string message) => JsonSerializer.Serialize(new { error = message });
}
