namespace BookBytes.Packaging;

/// <summary>Making a packaged audiobook failed: a chapter could not be read or decoded, or the encoder failed.</summary>
public sealed class PackagingException : BookBytesException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="isTransient"><see langword="true"/> when trying again later may succeed (a time-out, a killed encoder).</param>
    /// <param name="innerException">The cause, if any.</param>
    public PackagingException(string message, bool isTransient = false, Exception? innerException = null)
        : base(message, ErrorCodes.PackagingFailed, isTransient, innerException)
    {
    }
}
