using Microsoft.Extensions.AI;

namespace BookBytes.Providers.Ollama.Chat;

/// <summary>
/// OllamaSharp's <see cref="IChatClient"/> (<c>OllamaApiClient</c>) with its and the HTTP stack's failures
/// translated into <see cref="ProviderException"/>s that name the endpoint and the setting to fix
/// (<see cref="OllamaErrors"/>).
/// </summary>
/// <param name="inner">OllamaSharp's client.</param>
/// <param name="endpoint">The Ollama server it calls, named in messages.</param>
/// <param name="model">The model it asks for, named in messages.</param>
/// <param name="timeProvider">The clock an HTTP-date <c>Retry-After</c> is measured against.</param>
internal sealed class OllamaChatClient(IChatClient inner, Uri endpoint, string model, TimeProvider timeProvider) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (OllamaErrors.IsCallFailure(ex, cancellationToken))
        {
            throw OllamaErrors.Map(ex, Operation(options), endpoint, options?.ModelId ?? model, timeProvider);
        }

        // OllamaSharp stops reading the answer quietly when the token is cancelled and returns an empty
        // response; the caller's cancellation must still end as a cancellation, not as an empty answer.
        cancellationToken.ThrowIfCancellationRequested();
        return response;
    }

    private static string Operation(ChatOptions? options)
        => options?.ResponseFormat is ChatResponseFormatJson { SchemaName: { } schema } ? $"Ollama chat ({schema})" : "Ollama chat";
}
