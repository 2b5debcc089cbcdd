namespace BookBytes;

/// <summary>Thrown when work needs an LLM or TTS provider and none is configured.</summary>
public sealed class ProviderNotConfiguredException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">Which provider is missing and which settings configure it.</param>
    public ProviderNotConfiguredException(string message)
        : base(message, ErrorCodes.ProviderNotConfigured)
    {
    }
}
