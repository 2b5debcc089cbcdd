using BookBytes.Books;

namespace BookBytes.Pipeline.Processing;

/// <summary>What <see cref="ProcessingService.AddDocumentAsync"/> did.</summary>
/// <param name="Edition">The document's edition.</param>
/// <param name="Created"><see langword="true"/> when the file was new; <see langword="false"/> when the same file (by content) was already stored.</param>
public sealed record DocumentAdded(Edition Edition, bool Created);
