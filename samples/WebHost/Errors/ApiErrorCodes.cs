namespace BookBytes.WebHost.Errors;

/// <summary>Codes the host adds to the library's <see cref="ErrorCodes"/> for errors of HTTP itself.</summary>
internal static class ApiErrorCodes
{
    public const string ValidationFailed = "VALIDATION_FAILED";

    public const string RequestTooLarge = "REQUEST_TOO_LARGE";

    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";

    public const string Unauthorized = "UNAUTHORIZED";

    public const string RateLimited = "RATE_LIMITED";

    public const string ChapterNotFound = "CHAPTER_NOT_FOUND";

    public const string AudioNotReady = "AUDIO_NOT_READY";

    public const string NotFound = "NOT_FOUND";

    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";

    /// <summary>A byte range wholly outside the file (416; <c>Content-Range</c> names the length).</summary>
    public const string RangeNotSatisfiable = "RANGE_NOT_SATISFIABLE";

    public const string CoverNotFound = "COVER_NOT_FOUND";

    /// <summary>The job store (database) could not be reached or timed out.</summary>
    public const string StoreUnavailable = "STORE_UNAVAILABLE";
}
