namespace BookBytes.Documents.Html;

/// <summary>A run of an HTML document's blocks: all of it, or the part from one anchor to the next.</summary>
/// <param name="AnchorId">The id of the element the segment starts at; <see langword="null"/> for the part before the first anchor.</param>
/// <param name="Blocks">The blocks in document order, headings included.</param>
/// <param name="Types">The <c>epub:type</c> and <c>role</c> values on the elements that open the segment (the anchor and its ancestors, or the body and its first sections), space-separated and lower-case.</param>
internal sealed record HtmlSegment(string? AnchorId, IReadOnlyList<HtmlBlock> Blocks, string Types)
{
    /// <summary>Gets the first heading's text, or <see langword="null"/>.</summary>
    public string? Title => Blocks.FirstOrDefault(b => b.IsHeading)?.Text;

    /// <summary>Gets the paragraphs to read: the blocks without the headings that open the segment (they are its title).</summary>
    public IReadOnlyList<string> Paragraphs => HtmlText.Paragraphs(Blocks);

    /// <summary>Gets whether <see cref="Types"/> holds <paramref name="type"/> as a whole word.</summary>
    public bool HasType(string type) => Types.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(type, StringComparer.Ordinal);
}
