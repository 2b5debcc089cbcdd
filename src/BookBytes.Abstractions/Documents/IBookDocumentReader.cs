namespace BookBytes.Documents;

/// <summary>
/// Reads one document format (EPUB, PDF, HTML, Markdown, plain text, or one a provider author adds) into a
/// <see cref="BookDocument"/>. The content is untrusted: a reader bounds what it allocates by
/// <see cref="DocumentInput.Limits"/>, never touches the file system, resolves no external resource, and throws
/// <see cref="DocumentException"/> for anything it refuses.
/// </summary>
/// <remarks>Implementations are stateless and thread-safe: one instance reads concurrent documents.</remarks>
public interface IBookDocumentReader
{
    /// <summary>Gets the media types the reader reads, for example <c>application/epub+zip</c>; the first is its own.</summary>
    IReadOnlyList<string> MediaTypes { get; }

    /// <summary>Tells from the start of the content how sure the reader is that the content is in its format.</summary>
    /// <param name="head">The first bytes of the content (up to 4 KiB).</param>
    /// <returns>How sure the reader is.</returns>
    DocumentMatch Sniff(ReadOnlySpan<byte> head);

    /// <summary>Reads the document.</summary>
    /// <param name="input">The content and the limits to keep.</param>
    /// <param name="cancellationToken">A token that stops the reading (the caller's time-out included).</param>
    /// <returns>The book.</returns>
    /// <exception cref="DocumentException">The content is not a readable document of this format, is encrypted, or breaks a limit.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<BookDocument> ReadAsync(DocumentInput input, CancellationToken cancellationToken = default);
}
