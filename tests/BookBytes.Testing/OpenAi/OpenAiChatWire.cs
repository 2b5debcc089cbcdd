using System.Text.Json;
using WireMock.ResponseBuilders;
using WireMock.Util;

namespace BookBytes.Testing.OpenAi;

/// <summary>
/// Chat Completions answers in the OpenAI API's own wire format: the whole <c>chat.completion</c> JSON, or — for a request
/// with <c>"stream": true</c> — the server-sent events the API streams (<c>chat.completion.chunk</c> events, a usage chunk,
/// <c>[DONE]</c>). <see cref="Answer"/> gives whichever the request asked for, so a fake serves the pipeline with streamed
/// summaries on (the default) or off.
/// </summary>
public static class OpenAiChatWire
{
    /// <summary>A whole chat completion.</summary>
    /// <param name="content">The assistant's content.</param>
    /// <param name="finishReason">The finish reason.</param>
    /// <param name="refusal">A refusal instead of content.</param>
    /// <param name="promptTokens">The usage's prompt tokens.</param>
    /// <param name="completionTokens">The usage's completion tokens.</param>
    /// <returns>The JSON body.</returns>
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

    /// <summary>
    /// A streamed chat completion as the API sends it with <c>stream: true</c> and <c>stream_options.include_usage</c>:
    /// server-sent events with a role chunk, one chunk per piece of <paramref name="contents"/>, a chunk with the finish
    /// reason, a chunk with the usage and no choices, then <c>[DONE]</c>.
    /// </summary>
    /// <param name="contents">The content's pieces, in order.</param>
    /// <param name="finishReason">The finish reason.</param>
    /// <param name="promptTokens">The usage's prompt tokens.</param>
    /// <param name="completionTokens">The usage's completion tokens.</param>
    /// <returns>The event-stream body.</returns>
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

    /// <summary>Cuts content into pieces of <paramref name="characters"/>, as a model streams it a few tokens at a time.</summary>
    /// <param name="content">The content.</param>
    /// <param name="characters">The characters of a piece.</param>
    /// <returns>The pieces.</returns>
    public static IEnumerable<string> Pieces(string content, int characters = 16)
    {
        for (var at = 0; at < content.Length; at += characters)
        {
            yield return content.Substring(at, Math.Min(characters, content.Length - at));
        }
    }

    /// <summary>Answers a chat request with <paramref name="content"/>: streamed when the request asked for a stream, else whole.</summary>
    /// <param name="content">The assistant's content (the structured-output JSON).</param>
    /// <returns>The response builder.</returns>
    public static IResponseBuilder Answer(string content) => Response.Create().WithCallback(request => Message(request.Body, content));

    /// <summary>The response to a chat request with body <paramref name="requestBody"/>: <paramref name="content"/> streamed when it asked for a stream, else whole.</summary>
    /// <param name="requestBody">The request's body.</param>
    /// <param name="content">The assistant's content (the structured-output JSON).</param>
    /// <returns>The response, for a WireMock callback.</returns>
    public static WireMock.ResponseMessage Message(string? requestBody, string content)
    {
        var streamed = Streamed(requestBody);
        return new WireMock.ResponseMessage
        {
            StatusCode = 200,
            Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new(streamed ? "text/event-stream" : "application/json") },
            BodyData = new BodyData { BodyAsString = streamed ? Stream(Pieces(content)) : Completion(content), DetectedBodyType = WireMock.Types.BodyType.String },
        };
    }

    /// <summary>Whether a chat request body asks for a streamed answer (<c>"stream": true</c>).</summary>
    /// <param name="body">The request body.</param>
    /// <returns><see langword="true"/> for a streamed request.</returns>
    public static bool Streamed(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return false;
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
    }
}
