using System.Text.Json;

namespace BookBytes.Providers.Ollama.Http;

/// <summary>
/// Outside the resilience handler, so it sees only the last attempt: turns an error status into an
/// <see cref="OllamaHttpException"/> carrying Ollama's <c>{"error": "…"}</c> message (for example
/// <c>model "llama3.2" not found, try pulling it first</c>). OllamaSharp would throw a bare
/// <see cref="HttpRequestException"/> without it, or, for 400, an exception without the status.
/// </summary>
internal sealed class ErrorBodyHandler : DelegatingHandler
{
    private const int MaxApiMessageLength = 500;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new OllamaHttpException(response.StatusCode, ApiMessage(body, response.ReasonPhrase), response.Headers.RetryAfter);
        }
    }

    private static string ApiMessage(string body, string? reasonPhrase)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return string.IsNullOrWhiteSpace(reasonPhrase) ? "no error message" : reasonPhrase;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String)
            {
                return Shorten(error.GetString()!);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): the raw text is the message.
        }

        return Shorten(body);
    }

    private static string Shorten(string text)
    {
        text = text.Trim();
        return text.Length <= MaxApiMessageLength ? text : string.Concat(text.AsSpan(0, MaxApiMessageLength), "…");
    }
}
