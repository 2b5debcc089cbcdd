namespace BookBytes;

/// <summary>The stable error codes carried by <see cref="BookBytesException.ErrorCode"/>.</summary>
/// <remarks>These strings are part of the public REST interface: they never change meaning.</remarks>
public static class ErrorCodes
{
    /// <summary>The ISBN is malformed or its check digit is wrong.</summary>
    public const string IsbnInvalid = "ISBN_INVALID";

    /// <summary>No edition with the given id is known.</summary>
    public const string EditionNotFound = "EDITION_NOT_FOUND";

    /// <summary>The catalog has no book with the given ISBN.</summary>
    public const string BookNotFound = "BOOK_NOT_FOUND";

    /// <summary>The language model does not know the book well enough to summarise it.</summary>
    public const string BookNotKnown = "BOOK_NOT_KNOWN";

    /// <summary>An audiobook for the edition already exists.</summary>
    public const string AudioBookExists = "AUDIOBOOK_EXISTS";

    /// <summary>No job with the given id is known.</summary>
    public const string JobNotFound = "JOB_NOT_FOUND";

    /// <summary>No audiobook with the given id is known.</summary>
    public const string AudioBookNotFound = "AUDIOBOOK_NOT_FOUND";

    /// <summary>A job for the audiobook is already pending or processing.</summary>
    public const string JobInProgress = "JOB_IN_PROGRESS";

    /// <summary>The book catalog could not be reached or answered with a server error.</summary>
    public const string CatalogUnavailable = "CATALOG_UNAVAILABLE";

    /// <summary>The book catalog answered with something that could not be read.</summary>
    public const string CatalogInvalidResponse = "CATALOG_INVALID_RESPONSE";

    /// <summary>No LLM or TTS provider is configured.</summary>
    public const string ProviderNotConfigured = "PROVIDER_NOT_CONFIGURED";

    /// <summary>A provider refused the request or its credentials; retrying will not help.</summary>
    public const string ProviderConfiguration = "PROVIDER_CONFIGURATION";

    /// <summary>The uploaded document is not a readable document of its type, or is broken (a truncated archive, malformed XML, a DTD).</summary>
    public const string DocumentInvalid = "DOCUMENT_INVALID";

    /// <summary>The uploaded document's content is encrypted (DRM) and cannot be read.</summary>
    public const string DocumentEncrypted = "DOCUMENT_ENCRYPTED";

    /// <summary>The uploaded document is over a configured limit (size, inflated size, entries, compression ratio, chapters, parse time).</summary>
    public const string DocumentTooLarge = "DOCUMENT_TOO_LARGE";

    /// <summary>The uploaded document's type is one no reader reads.</summary>
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";

    /// <summary>What was asked needs the book's text (narration, or a summary of it), and the edition has none: it came from the catalog, not from an uploaded document.</summary>
    public const string TextRequired = "TEXT_REQUIRED";

    /// <summary>The text-to-speech provider does not have the voice asked for (refused at the request, or by its first speech call).</summary>
    public const string VoiceUnknown = "VOICE_UNKNOWN";

    /// <summary>A provider failed; <see cref="BookBytesException.IsTransient"/> says whether to retry.</summary>
    public const string ProviderFailed = "PROVIDER_FAILED";

    /// <summary>A provider answered, but the answer was unusable (truncated, malformed, refused, off-target).</summary>
    public const string ProviderInvalidResponse = "PROVIDER_INVALID_RESPONSE";

    /// <summary>Some chapters of an audiobook failed; the others are stored.</summary>
    public const string ChaptersFailed = "CHAPTERS_FAILED";

    /// <summary>The worker no longer holds the lease of the job it tried to write.</summary>
    public const string LeaseLost = "LEASE_LOST";

    /// <summary>A job's workers died while running it more often than <c>Jobs:MaxRescues</c> allows: the job itself may be what kills them.</summary>
    public const string JobAbandoned = "JOB_ABANDONED";

    /// <summary>A job's kind has no handler registered on the node that claimed it.</summary>
    public const string JobKindUnknown = "JOB_KIND_UNKNOWN";

    /// <summary>The audio asked for is not made yet: no chapter is stored, or the audiobook's one-file package is not made.</summary>
    public const string AudioNotReady = "AUDIO_NOT_READY";

    /// <summary>Making an audiobook's one-file package (M4B or MP3) failed.</summary>
    public const string PackagingFailed = "PACKAGING_FAILED";

    /// <summary>
    /// A packaging job still waiting to start was ended unrun because a newer job for its audiobook (a refresh, a new version,
    /// another packaging) was asked for: that job packages the book when it ends.
    /// </summary>
    public const string JobSuperseded = "JOB_SUPERSEDED";

    /// <summary>A job was cancelled on request before it ended (<see cref="Jobs.JobStatus.Cancelled"/>).</summary>
    public const string JobCancelled = "JOB_CANCELLED";

    /// <summary>A job that has already completed or failed cannot be cancelled.</summary>
    public const string JobEnded = "JOB_ENDED";

    /// <summary>The storage backend failed.</summary>
    public const string StorageFailed = "STORAGE_FAILED";

    /// <summary>An unexpected error.</summary>
    public const string Internal = "INTERNAL_ERROR";
}
