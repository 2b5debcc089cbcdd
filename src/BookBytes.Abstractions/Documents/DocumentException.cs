namespace BookBytes.Documents;

/// <summary>
/// Thrown when a document cannot be read: not a document of its type or broken
/// (<see cref="ErrorCodes.DocumentInvalid"/>), encrypted by DRM (<see cref="ErrorCodes.DocumentEncrypted"/>), over a
/// limit (<see cref="ErrorCodes.DocumentTooLarge"/>) or of a type no reader reads
/// (<see cref="ErrorCodes.UnsupportedMediaType"/>). Never transient: the same bytes fail the same way.
/// </summary>
public sealed class DocumentException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What was wrong, for the person who uploaded the document (no paths, no internals).</param>
    /// <param name="errorCode">One of the document error codes.</param>
    /// <param name="innerException">The parser's failure, if any.</param>
    public DocumentException(string message, string errorCode = ErrorCodes.DocumentInvalid, Exception? innerException = null)
        : base(message, errorCode, isTransient: false, innerException)
    {
    }
}
