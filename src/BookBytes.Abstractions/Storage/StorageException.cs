namespace BookBytes.Storage;

/// <summary>Thrown when a storage backend fails. The message names the setting to check where a setting is the cause.</summary>
public sealed class StorageException : BookBytesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="isTransient"><see langword="true"/> when the same call may succeed later.</param>
    /// <param name="innerException">The underlying failure.</param>
    public StorageException(string message, bool isTransient = false, Exception? innerException = null)
        : base(message, ErrorCodes.StorageFailed, isTransient, innerException)
    {
    }
}
