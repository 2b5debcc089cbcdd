namespace BookBytes.Storage;

/// <summary>Stores audio files under validated keys: a local folder, an S3 bucket, or anything alike.</summary>
/// <remarks>
/// Implementations must be safe to call from many threads at once. Writes of one key replace the
/// whole object atomically: a reader sees the old bytes or the new bytes, never a mix.
/// </remarks>
public interface IStorageBackend
{
    /// <summary>
    /// Gets a value indicating whether <see cref="GetUrlAsync"/> gives URLs that clients download from directly
    /// (a presigned bucket URL, a CDN): a host then redirects a download there instead of streaming the bytes itself.
    /// </summary>
    bool ServesDirectUrls { get; }

    /// <summary>Stores the stream's bytes under the key, replacing any object already there.</summary>
    /// <param name="key">The key.</param>
    /// <param name="content">The bytes, read to the end and streamed; the caller keeps ownership.</param>
    /// <param name="contentType">The media type, for example <c>audio/mpeg</c>.</param>
    /// <param name="cancellationToken">A token that cancels the write; nothing partial is left under the key.</param>
    /// <returns>Where the object now is, and its size.</returns>
    /// <exception cref="StorageException">The backend failed; see <see cref="BookBytesException.IsTransient"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<StoredObject> SaveAsync(StorageKey key, Stream content, string contentType, CancellationToken cancellationToken = default);

    /// <summary>Opens the object for reading.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">A token that cancels the open.</param>
    /// <returns>A stream the caller disposes, or <see langword="null"/> when no object has the key.</returns>
    /// <exception cref="StorageException">The backend failed.</exception>
    Task<Stream?> OpenReadAsync(StorageKey key, CancellationToken cancellationToken = default);

    /// <summary>Gets a URL from which the object can be downloaded.</summary>
    /// <param name="key">The key.</param>
    /// <param name="expiry">How long a signed URL stays valid; <see langword="null"/> for the backend's default. Ignored by backends whose URLs do not expire.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>An <c>http(s)</c> URL, or a <c>file</c> URL for local storage with no public base URL.</returns>
    /// <exception cref="StorageException">The backend failed.</exception>
    Task<Uri> GetUrlAsync(StorageKey key, TimeSpan? expiry = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="true"/> when an object was deleted; <see langword="false"/> when none had the key.</returns>
    /// <exception cref="StorageException">The backend failed.</exception>
    Task<bool> DeleteAsync(StorageKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes every object whose key lies under <paramref name="folder"/> (starts with it and a <c>/</c>): an audiobook's every version,
    /// its segments, transcripts and packaged files at once, whatever their names. Nothing under it is an error only when the backend fails.
    /// </summary>
    /// <param name="folder">The key prefix, as a key (for example <c>audiobooks/{id}</c>); objects under it are deleted, not one named by it.</param>
    /// <param name="cancellationToken">A token that cancels the call; objects already deleted stay deleted.</param>
    /// <returns>How many objects were deleted.</returns>
    /// <exception cref="StorageException">The backend failed.</exception>
    Task<int> DeleteUnderAsync(StorageKey folder, CancellationToken cancellationToken = default);

    /// <summary>Tells whether an object has the key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="true"/> when the object exists.</returns>
    /// <exception cref="StorageException">The backend failed.</exception>
    Task<bool> ExistsAsync(StorageKey key, CancellationToken cancellationToken = default);
}
