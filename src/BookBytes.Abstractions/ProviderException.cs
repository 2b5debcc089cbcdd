namespace BookBytes;

/// <summary>
/// Thrown by an LLM or TTS provider when a call fails. <see cref="BookBytesException.IsTransient"/> says
/// whether the pipeline may retry it (throttling, server errors, time-outs) or not (bad request,
/// unusable answer).
/// </summary>
public class ProviderException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What failed, with the provider's own message where it has one; never a key.</param>
    /// <param name="isTransient"><see langword="true"/> when the same call may succeed later.</param>
    /// <param name="innerException">The underlying failure.</param>
    /// <param name="errorCode">The error code; <see cref="ErrorCodes.ProviderFailed"/> by default.</param>
    public ProviderException(string message, bool isTransient, Exception? innerException = null, string errorCode = ErrorCodes.ProviderFailed)
        : base(message, errorCode, isTransient, innerException)
    {
    }

    /// <summary>Gets how long the provider asked callers to wait before retrying, when it said so.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets the HTTP status code of the failed call, when it was an HTTP call.</summary>
    public int? StatusCode { get; init; }
}
