using System.Net;
using Microsoft.Extensions.Logging;

namespace BookBytes.Catalog.OpenLibrary;

/// <summary>Source-generated log messages of <see cref="OpenLibraryCatalog"/>.</summary>
internal static partial class OpenLibraryLog
{
    [LoggerMessage(1, LogLevel.Debug, "Open Library cache hit for ISBN {Isbn} (found: {Found})")]
    public static partial void CacheHit(ILogger logger, string isbn, bool found);

    [LoggerMessage(2, LogLevel.Debug, "Open Library has no edition under ISBN-13 {Isbn13}; trying ISBN-10 {Isbn10}")]
    public static partial void FallingBackToIsbn10(ILogger logger, string isbn13, string isbn10);

    [LoggerMessage(3, LogLevel.Information, "Open Library does not know ISBN {Isbn}")]
    public static partial void NotFound(ILogger logger, string isbn);

    [LoggerMessage(4, LogLevel.Information, "Open Library found ISBN {Isbn}: {Title} ({ChapterCount} table-of-contents entries, complete: {Complete})")]
    public static partial void Found(ILogger logger, string isbn, string title, int chapterCount, bool complete);

    [LoggerMessage(5, LogLevel.Warning, "Open Library request {Path} failed with status {StatusCode}")]
    public static partial void RequestFailed(ILogger logger, string path, HttpStatusCode statusCode);

    [LoggerMessage(6, LogLevel.Warning, "Open Library request {Path} to {Host} failed: {ExceptionType}: {Reason}")]
    private static partial void RequestError(ILogger logger, string path, string host, string exceptionType, string reason);

    [LoggerMessage(7, LogLevel.Warning, "Open Library answered {Path} with malformed JSON: {Reason}")]
    private static partial void MalformedResponse(ILogger logger, string path, string reason);

    [LoggerMessage(8, LogLevel.Information, "Open Library record {Key} could not be fetched; the edition of ISBN {Isbn} is returned without it")]
    public static partial void PartFailed(ILogger logger, string key, string isbn);

    [LoggerMessage(9, LogLevel.Warning, "Open Library asks applications to name a contact in their User-Agent; set BookBytes:Catalog:OpenLibrary:Contact (an e-mail address or URL)")]
    public static partial void NoContact(ILogger logger);

    [LoggerMessage(10, LogLevel.Warning, "Open Library answered {Path} with {MediaType}, not JSON (a maintenance or error page?)")]
    public static partial void NotJson(ILogger logger, string path, string mediaType);

    [LoggerMessage(11, LogLevel.Debug, "Open Library has no cover at {Path}")]
    public static partial void CoverNotFound(ILogger logger, string path);

    [LoggerMessage(12, LogLevel.Warning, "Open Library answered cover {Path} with a body that is {Reason}; the book gets no cover")]
    public static partial void CoverRejected(ILogger logger, string path, string reason);

    [LoggerMessage(13, LogLevel.Debug, "Open Library request {Path} failed")]
    private static partial void FailureDetail(ILogger logger, string path, Exception exception);

    /// <summary>
    /// One Warning with the cause (exception type and message, and the host), and the exception with its stack trace at Debug:
    /// a catalog that is down is an expected condition, not a bug to trace.
    /// </summary>
    public static void RequestError(ILogger logger, string path, string host, Exception exception)
    {
        RequestError(logger, path, host, exception.GetType().Name, exception.Message);
        FailureDetail(logger, path, exception);
    }

    /// <summary>One Warning with the parser's message, and the exception with its stack trace at Debug.</summary>
    public static void MalformedResponse(ILogger logger, string path, Exception exception)
    {
        MalformedResponse(logger, path, exception.Message);
        FailureDetail(logger, path, exception);
    }
}
