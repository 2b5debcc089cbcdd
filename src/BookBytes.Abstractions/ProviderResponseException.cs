namespace BookBytes;

/// <summary>
/// Thrown when a provider answered but the answer cannot be used: truncated, malformed, refused,
/// or outside what was asked for (a summary far too short, an outline with gaps).
/// </summary>
public sealed class ProviderResponseException : ProviderException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What is wrong with the answer.</param>
    /// <param name="isTransient"><see langword="true"/> when asking again may give a usable answer (the default: models vary).</param>
    /// <param name="innerException">The underlying failure.</param>
    public ProviderResponseException(string message, bool isTransient = true, Exception? innerException = null)
        : base(message, isTransient, innerException, ErrorCodes.ProviderInvalidResponse)
    {
    }
}
