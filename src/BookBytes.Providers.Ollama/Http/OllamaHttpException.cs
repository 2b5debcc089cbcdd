using System.Net;

namespace BookBytes.Providers.Ollama.Http;

/// <summary>An error status from Ollama with the message of its <c>{"error": "…"}</c> body, which OllamaSharp drops.</summary>
internal sealed class OllamaHttpException : HttpRequestException
{
    public OllamaHttpException(HttpStatusCode status, string apiMessage, System.Net.Http.Headers.RetryConditionHeaderValue? retryAfter)
        : base($"Ollama answered HTTP {(int)status}: {apiMessage}", inner: null, status)
    {
        ApiMessage = apiMessage;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets Ollama's own error message, or the reason phrase when the body has none.</summary>
    public string ApiMessage { get; }

    /// <summary>Gets the <c>Retry-After</c> header of the response, if any.</summary>
    public System.Net.Http.Headers.RetryConditionHeaderValue? RetryAfter { get; }
}
