namespace BookBytes.Providers.ExtensionsAI.Chat;

/// <summary>How a <see cref="ChatClientLlmProvider"/> asks its <c>IChatClient</c>.</summary>
/// <remarks>A mutable settings bag; not thread-safe while being configured, and read once when the provider is created.</remarks>
public sealed class ChatClientLlmOptions
{
    /// <summary>
    /// Gets or sets the model to ask for (<c>ChatOptions.ModelId</c>). <see langword="null"/>, the default,
    /// sends none: the client's own model answers.
    /// </summary>
    public string? ModelId { get; set; }

    /// <summary>
    /// Gets or sets the most tokens one answer may have (<c>ChatOptions.MaxOutputTokens</c>).
    /// <see langword="null"/>, the default, sends none: the client's or the server's limit holds. An
    /// answer cut off at the limit is re-asked as a transient failure.
    /// </summary>
    public int? MaxOutputTokens { get; set; }
}
