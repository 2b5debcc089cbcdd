namespace BookBytes;

/// <summary>
/// Thrown when a provider refuses the configured credentials or settings (for example HTTP 401/403).
/// Never transient. The message names the setting to fix and never contains the secret itself.
/// </summary>
public sealed class ProviderConfigurationException : ProviderException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What is wrong and which setting to fix.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ProviderConfigurationException(string message, Exception? innerException = null)
        : base(message, isTransient: false, innerException, ErrorCodes.ProviderConfiguration)
    {
    }
}
