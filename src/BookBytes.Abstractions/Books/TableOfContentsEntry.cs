namespace BookBytes.Books;

/// <summary>One entry of an edition's table of contents.</summary>
/// <param name="Title">The entry's title, for example <c>The Tyranny of the Urgent</c>.</param>
/// <param name="Level">The nesting level; 0 for top-level chapters.</param>
/// <param name="Label">A label such as <c>Chapter 1</c> or <c>I</c>, when the catalog gives one.</param>
/// <param name="PageNumber">The page as printed (may be roman or empty).</param>
/// <param name="IsFrontOrBackMatter"><see langword="true"/> for entries such as a preface, index or acknowledgements, which are not summarised.</param>
public sealed record TableOfContentsEntry(
    string Title,
    int Level = 0,
    string? Label = null,
    string? PageNumber = null,
    bool IsFrontOrBackMatter = false)
{
    /// <summary>Gets the chapter's 1-based position in the document, for an entry read from an uploaded document; otherwise <see langword="null"/>.</summary>
    public int? Number { get; init; }

    /// <summary>Gets whether the chapter is front matter, body or back matter, for an entry read from a document; otherwise <see langword="null"/>.</summary>
    public Documents.ChapterKind? Kind { get; init; }

    /// <summary>Gets the chapter's word count, for an entry read from a document; otherwise <see langword="null"/>.</summary>
    public int? Words { get; init; }
}
