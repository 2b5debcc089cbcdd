using System.Text.Json;

namespace BookBytes.Providers.ExtensionsAI.Chat;

/// <summary>
/// The strict JSON schemas the chat answers must follow, sent as structured output
/// (<c>ChatResponseFormat.ForJsonSchema</c>) to whichever client answers.
/// </summary>
internal static class ChatSchemas
{
    public const string OutlineName = "book_outline";

    public const string SummaryName = "chapter_summary";

    // The same answer as a chapter summary, under its own name so clients and logs tell the calls apart.
    public const string TextSummaryName = "text_summary";

    public static readonly JsonElement Outline = Parse("""
        {
          "type": "object",
          "properties": {
            "known": {
              "type": "boolean",
              "description": "true only when you know this exact book and its real table of contents"
            },
            "chapters": {
              "type": "array",
              "description": "the book's real chapters in reading order; empty when known is false",
              "items": {
                "type": "object",
                "properties": {
                  "number": { "type": "integer", "description": "1-based position of the chapter" },
                  "title": { "type": "string", "description": "the chapter title as printed, without the number" }
                },
                "required": ["number", "title"],
                "additionalProperties": false
              }
            }
          },
          "required": ["known", "chapters"],
          "additionalProperties": false
        }
        """);

    public static readonly JsonElement Summary = Parse("""
        {
          "type": "object",
          "properties": {
            "summary": {
              "type": "string",
              "description": "the summary as plain paragraphs separated by blank lines"
            }
          },
          "required": ["summary"],
          "additionalProperties": false
        }
        """);

    private static JsonElement Parse(string schema)
    {
        // Written again without the indentation, so the request carries the schema compactly.
        using var document = JsonDocument.Parse(schema);
        return JsonSerializer.SerializeToElement(document.RootElement);
    }
}
