using BookBytes.Providers.Anthropic.Http;
using Microsoft.Extensions.AI;

namespace BookBytes.Providers.Anthropic.Chat;

/// <summary>
/// The Anthropic SDK's <see cref="IChatClient"/> (<c>AnthropicClient.AsIChatClient(model, maxTokens)</c>) with the SDK's
/// and the HTTP stack's failures translated into <see cref="ProviderException"/>s that name the endpoint and the
/// setting to fix (<see cref="AnthropicErrors"/>). The caller's cancellation passes through.
/// </summary>
/// <param name="inner">The SDK's client.</param>
/// <param name="endpoint">The endpoint it calls, named in messages.</param>
internal sealed class AnthropicChatClient(IChatClient inner, Uri endpoint) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var capture = RetryAfterCapture.Begin();
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (AnthropicErrors.IsCallFailure(ex, cancellationToken))
        {
            throw AnthropicErrors.Map(ex, Operation(options), endpoint, capture.RetryAfter);
        }
    }

    private static string Operation(ChatOptions? options)
        => options?.ResponseFormat is ChatResponseFormatJson { SchemaName: { } schema } ? $"Anthropic message ({schema})" : "Anthropic message";
}
