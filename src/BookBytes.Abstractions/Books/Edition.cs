namespace BookBytes.Books;

/// <summary>
/// One published edition of a book: what a catalog knows about it and what the pipeline tells the
/// language model.
/// </summary>
/// <remarks>An immutable record; safe to share between threads.</remarks>
public sealed record Edition
{
    /// <summary>Gets the edition's id. A catalog assigns a new id; a store keeps the first id it saw for an ISBN.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the ISBN-13 (13 digits, no separators), when the edition has one.</summary>
    public string? Isbn13 { get; init; }

    /// <summary>Gets the title, with the subtitle after a colon when there is one.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the authors' names in catalog order; empty when unknown.</summary>
    public IReadOnlyList<string> Authors { get; init; } = [];

    /// <summary>Gets the ISO 639-1 language code of the edition, for example <c>en</c>.</summary>
    public string Language { get; init; } = "en";

    /// <summary>Gets the publisher, when known.</summary>
    public string? Publisher { get; init; }

    /// <summary>Gets the year of publication, when known.</summary>
    public int? PublishYear { get; init; }

    /// <summary>Gets the number of pages, when known.</summary>
    public int? PageCount { get; init; }

    /// <summary>Gets the URL of a cover image, when known.</summary>
    public Uri? CoverUrl { get; init; }

    /// <summary>Gets a description of the book, when known.</summary>
    public string? Description { get; init; }

    /// <summary>Gets subjects or genres, when known.</summary>
    public IReadOnlyList<string> Subjects { get; init; } = [];

    /// <summary>Gets the table of contents in book order; empty when unknown.</summary>
    public IReadOnlyList<TableOfContentsEntry> TableOfContents { get; init; } = [];

    /// <summary>Gets where the edition came from: a catalog lookup (the default) or an uploaded document.</summary>
    public EditionSource Source { get; init; } = EditionSource.Catalog;

    /// <summary>Gets the uploaded document and where it is stored, for a <see cref="EditionSource.Document"/> edition; otherwise <see langword="null"/>.</summary>
    public EditionDocument? Document { get; init; }
}
