namespace BookBytes.Books;

/// <summary>Thrown when the book catalog cannot be reached, times out, or answers with something unusable.</summary>
public sealed class CatalogUnavailableException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="isTransient"><see langword="true"/> for time-outs, throttling and server errors; <see langword="false"/> for answers that cannot be read.</param>
    /// <param name="innerException">The underlying failure.</param>
    public CatalogUnavailableException(string message, bool isTransient = true, Exception? innerException = null)
        : base(message, isTransient ? ErrorCodes.CatalogUnavailable : ErrorCodes.CatalogInvalidResponse, isTransient, innerException)
    {
    }
}
