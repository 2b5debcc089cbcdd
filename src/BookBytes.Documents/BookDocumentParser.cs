using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BookBytes.Documents;

/// <summary>
/// The one entry point for reading a document: picks the <see cref="IBookDocumentReader"/> by content sniffing
/// and media type (a <c>.txt</c> that is really HTML is read as HTML; a zip that is an EPUB is read as one,
/// whatever it was called), keeps <see cref="DocumentOptions"/>' limits and time, and turns anything a reader
/// did not expect into a <see cref="DocumentException"/>, so no document can crash or hang its caller.
/// </summary>
/// <remarks>Thread-safe: one instance reads concurrent documents.</remarks>
public sealed partial class BookDocumentParser
{
    /// <summary>How much of the content readers see when sniffing.</summary>
    public const int SniffBytes = 4096;

    private readonly IReadOnlyList<IBookDocumentReader> _readers;
    private readonly DocumentOptions _options;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="readers">The readers, in order of preference when several are sure.</param>
    /// <param name="options">The limits.</param>
    /// <param name="logger">The logger; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="readers"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public BookDocumentParser(IEnumerable<IBookDocumentReader> readers, IOptions<DocumentOptions> options, ILogger<BookDocumentParser>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(readers);
        ArgumentNullException.ThrowIfNull(options);
        _readers = [.. readers];
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the media types some reader reads.</summary>
    public IReadOnlyList<string> MediaTypes => [.. _readers.SelectMany(r => r.MediaTypes).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Reads a document.</summary>
    /// <param name="content">The whole document.</param>
    /// <param name="mediaType">The media type it was sent with (parameters such as <c>charset</c> are ignored); <see langword="null"/> or <c>application/octet-stream</c> to go by content alone.</param>
    /// <param name="cancellationToken">A token that stops the reading.</param>
    /// <returns>The book.</returns>
    /// <exception cref="DocumentException">
    /// The document is empty, over <see cref="DocumentOptions.MaxUploadBytes"/>, of a type no reader reads
    /// (<see cref="ErrorCodes.UnsupportedMediaType"/>), broken, encrypted, over a limit, took longer than
    /// <see cref="DocumentOptions.ParseTimeout"/>, or has more than <see cref="DocumentOptions.MaxChapters"/> chapters.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<BookDocument> ParseAsync(ReadOnlyMemory<byte> content, string? mediaType, CancellationToken cancellationToken = default)
        => (await ReadAsync(content, mediaType, cancellationToken).ConfigureAwait(false)).Book;

    /// <summary>Reads a document, as <see cref="ParseAsync"/> does, and tells which media type it was read as.</summary>
    /// <param name="content">The whole document.</param>
    /// <param name="mediaType">The media type it was sent with; <see langword="null"/> or <c>application/octet-stream</c> to go by content alone.</param>
    /// <param name="cancellationToken">A token that stops the reading.</param>
    /// <returns>The book and the media type it was read as (the content's own when its signature said so).</returns>
    /// <exception cref="DocumentException">As for <see cref="ParseAsync"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ParsedDocument> ReadAsync(ReadOnlyMemory<byte> content, string? mediaType, CancellationToken cancellationToken = default)
    {
        if (content.IsEmpty)
        {
            throw new DocumentException("The document is empty.");
        }

        if (content.Length > _options.MaxUploadBytes)
        {
            throw new DocumentException($"The document has {content.Length} bytes; at most {_options.MaxUploadBytes} are accepted ({DocumentOptions.SectionName}:MaxUploadBytes).", ErrorCodes.DocumentTooLarge);
        }

        var declared = Normalize(mediaType);
        var reader = Choose(content.Span[..Math.Min(content.Length, SniffBytes)], declared);
        var readAs = declared is not null && reader.MediaTypes.Contains(declared, StringComparer.OrdinalIgnoreCase) ? declared : reader.MediaTypes[0];
        var started = Stopwatch.GetTimestamp();
        BookDocument document;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ParseTimeout);
        try
        {
            // On the thread pool and awaited with the time-out, so a reader that does not look at its token
            // still cannot hold the caller longer than ParseTimeout.
            var reading = Task.Run(() => reader.ReadAsync(new DocumentInput(content, readAs, _options.Limits), timeout.Token), timeout.Token);
            document = await reading.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw new DocumentException($"Reading the document took longer than {_options.ParseTimeout} ({DocumentOptions.SectionName}:ParseTimeout).", ErrorCodes.DocumentTooLarge, ex);
        }
        catch (DocumentException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever a parser library throws on hostile input is the document's fault, not the host's.
            Log.ReaderFailed(_logger, ex, readAs);
            throw new DocumentException($"The document could not be read as {readAs}: it is broken or not of that type.", ErrorCodes.DocumentInvalid, ex);
        }

        if (document.Chapters.Count == 0)
        {
            throw new DocumentException("The document has no text to read.");
        }

        if (document.Chapters.Count > _options.MaxChapters)
        {
            throw new DocumentException($"The document has {document.Chapters.Count} chapters; at most {_options.MaxChapters} are accepted ({DocumentOptions.SectionName}:MaxChapters).", ErrorCodes.DocumentTooLarge);
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Log.Read(_logger, readAs, content.Length, document.Chapters.Count, document.BodyWords, elapsed);
        return new ParsedDocument(document, readAs);
    }

    private static string? Normalize(string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(mediaType))
        {
            return null;
        }

        var type = mediaType.Split(';', 2)[0].Trim().ToLowerInvariant();
        return type is "application/octet-stream" or "" ? null : type;
    }

    private IBookDocumentReader Choose(ReadOnlySpan<byte> head, string? declared)
    {
        // A format's signature wins over what the upload was called.
        var matches = new DocumentMatch[_readers.Count];
        for (var i = 0; i < _readers.Count; i++)
        {
            matches[i] = _readers[i].Sniff(head);
            if (matches[i] == DocumentMatch.Certain)
            {
                return _readers[i];
            }
        }

        var known = string.Join(", ", MediaTypes);
        if (declared is not null)
        {
            var typed = Enumerable.Range(0, _readers.Count).Where(i => _readers[i].MediaTypes.Contains(declared, StringComparer.OrdinalIgnoreCase)).ToList();
            if (typed.Count == 0)
            {
                throw new DocumentException($"Documents of type {declared} cannot be read; send one of {known}.", ErrorCodes.UnsupportedMediaType);
            }

            return typed.Where(i => matches[i] == DocumentMatch.Maybe).Select(i => _readers[i]).FirstOrDefault()
                ?? throw new DocumentException($"The content is not a {declared} document.");
        }

        // No type given and no signature: text, read as plain text when a reader takes it, else by the first that may.
        var maybe = Enumerable.Range(0, _readers.Count).Where(i => matches[i] == DocumentMatch.Maybe).ToList();
        if (maybe.Count == 0)
        {
            throw new DocumentException($"The content is not a document of a known type ({known}).", ErrorCodes.UnsupportedMediaType);
        }

        return _readers[maybe.FirstOrDefault(i => _readers[i].MediaTypes.Contains("text/plain", StringComparer.OrdinalIgnoreCase), maybe[0])];
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Read a {MediaType} document of {Bytes} bytes: {Chapters} chapters, {Words} body words, in {Milliseconds:0} ms")]
        public static partial void Read(ILogger logger, string mediaType, int bytes, int chapters, int words, double milliseconds);

        [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "A {MediaType} document failed to parse")]
        public static partial void ReaderFailed(ILogger logger, Exception exception, string mediaType);
    }
}
