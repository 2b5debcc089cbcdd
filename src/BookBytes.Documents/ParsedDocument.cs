namespace BookBytes.Documents;

/// <summary>A document <see cref="BookDocumentParser.ReadAsync"/> read, and the media type it was read as.</summary>
/// <param name="Book">The book.</param>
/// <param name="MediaType">The media type it was read as, for example <c>text/html</c> for a <c>.txt</c> upload that was HTML.</param>
public sealed record ParsedDocument(BookDocument Book, string MediaType);
