namespace BookBytes.Documents.Html;

/// <summary>One block of cleaned text from an HTML document: a paragraph, list item, caption or heading.</summary>
/// <param name="Text">The cleaned text; never empty.</param>
/// <param name="IsHeading">Whether it came from an <c>h1</c>–<c>h6</c>.</param>
/// <param name="Language">The nearest <c>lang</c>/<c>xml:lang</c> around it, or <see langword="null"/>.</param>
internal sealed record HtmlBlock(string Text, bool IsHeading, string? Language);
