using System.Text.Json;
using Microsoft.Extensions.AI;

namespace BookBytes.Providers.OpenAI.Chat;

/// <summary>
/// The OpenAI SDK's <see cref="IChatClient"/> (<c>ChatClient.AsIChatClient()</c>) with the SDK's and the HTTP
/// stack's failures translated into <see cref="ProviderException"/>s that name the endpoint and the setting to
/// fix (<see cref="OpenAiErrors"/>), so the provider over it reports them as the package always did.
/// </summary>
/// <param name="inner">The SDK's client.</param>
/// <param name="endpoint">The endpoint it calls, named in messages.</param>
/// <param name="timeProvider">The clock an HTTP-date <c>Retry-After</c> is measured against.</param>
internal sealed class OpenAiChatClient(IChatClient inner, Uri endpoint, TimeProvider timeProvider) : DelegatingChatClient(inner)
{
    private const string ModelKey = OpenAiOptions.SectionName + ":ChatModel";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (OpenAiErrors.IsCallFailure(ex, cancellationToken))
        {
            throw OpenAiErrors.Map(ex, Operation(options), endpoint, ModelKey, timeProvider);
        }
        catch (JsonException ex)
        {
            throw new ProviderResponseException($"{Operation(options)} at {endpoint}: the response body is not a chat completion: {ex.Message}", isTransient: true, ex);
        }
    }

    // Named as the package always named them; the schema tells which call this is.
    private static string Operation(ChatOptions? options) => (options?.ResponseFormat as ChatResponseFormatJson)?.SchemaName switch
    {
        "book_outline" => "Chat completion (outline)",
        "chapter_summary" => "Chat completion (chapter summary)",
        "text_summary" => "Chat completion (text summary)",
        { } schema => $"Chat completion ({schema})",
        null => "Chat completion",
    };
}
