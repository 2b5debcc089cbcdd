namespace BookBytes.Documents;

/// <summary>
/// A book read from its own text (an EPUB, PDF, HTML, Markdown or plain-text file): what it says about itself
/// and its chapters in reading order. Made by an <see cref="IBookDocumentReader"/>; immutable.
/// </summary>
/// <remarks>
/// It lives in Abstractions, not in the readers' package, because the pipeline, the stores and the host all
/// carry it (a document's edition, its chapters, grounded summaries and narration), and because a provider
/// author adding a format implements <see cref="IBookDocumentReader"/> without the readers' package.
/// </remarks>
public sealed record BookDocument
{
    /// <summary>Gets the title; a reader falls back to the file's first heading, or <c>Untitled</c>.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the authors in document order; empty when the document names none.</summary>
    public IReadOnlyList<string> Authors { get; init; } = [];

    /// <summary>Gets the book's language as a BCP 47 tag, for example <c>en</c> or <c>fr-CA</c>; <c>und</c> when the document does not say.</summary>
    public string Language { get; init; } = "und";

    /// <summary>Gets the identifiers the document declares (an EPUB's <c>dc:identifier</c>s), as written.</summary>
    public IReadOnlyList<string> Identifiers { get; init; } = [];

    /// <summary>Gets the ISBN-13 found among <see cref="Identifiers"/> (an ISBN-10 converted), when one is valid.</summary>
    public string? Isbn13 { get; init; }

    /// <summary>Gets the document's own description, as plain text, when it has one.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the cover image, when the document has one.</summary>
    public DocumentCover? Cover { get; init; }

    /// <summary>Gets the chapters in reading order, front and back matter included and marked by <see cref="DocumentChapter.Kind"/>.</summary>
    public required IReadOnlyList<DocumentChapter> Chapters { get; init; }

    /// <summary>Gets the number of words of the body chapters.</summary>
    public int BodyWords => Chapters.Where(c => c.Kind == ChapterKind.Body).Sum(c => c.Words);
}
