namespace BookBytes.Documents.Epub;

/// <summary>One entry of an EPUB's table of contents, or a landmark.</summary>
/// <param name="Title">The label, cleaned.</param>
/// <param name="Path">The content document's entry path.</param>
/// <param name="Fragment">The element id it points at, or <see langword="null"/> for the document's start.</param>
/// <param name="Level">The nesting depth, 0 at the top.</param>
/// <param name="Type">The landmark's or guide reference's type, lower-case; <see langword="null"/> in a table of contents.</param>
internal sealed record EpubNavEntry(string Title, string Path, string? Fragment, int Level, string? Type = null);
