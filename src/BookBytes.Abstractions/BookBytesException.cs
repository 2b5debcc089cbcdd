namespace BookBytes;

/// <summary>
/// The base type of every exception BookBytes throws on purpose. It carries a stable
/// <see cref="ErrorCode"/> that hosts map to problem details, and says whether retrying the same
/// operation later may succeed.
/// </summary>
/// <remarks>Instances are immutable once thrown and safe to share between threads.</remarks>
public class BookBytesException : Exception
{
    /// <summary>Initializes a new instance with a message, an error code and whether the failure is transient.</summary>
    /// <param name="message">A message that says what failed; never contains secrets.</param>
    /// <param name="errorCode">A stable, upper-case error code such as <c>BOOK_NOT_FOUND</c>.</param>
    /// <param name="isTransient"><see langword="true"/> when the same call may succeed later.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public BookBytesException(string message, string errorCode, bool isTransient = false, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(errorCode);
        ErrorCode = errorCode;
        IsTransient = isTransient;
    }

    /// <summary>Gets the stable error code, for example <c>ISBN_INVALID</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>Gets a value indicating whether retrying the same operation later may succeed.</summary>
    public bool IsTransient { get; }
}
