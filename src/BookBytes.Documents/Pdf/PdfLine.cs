namespace BookBytes.Documents.Pdf;

/// <summary>One line of text on a page, as laid out: where it starts, its baseline and its font size.</summary>
/// <param name="Page">The 1-based page number.</param>
/// <param name="Left">The left edge, in points.</param>
/// <param name="Baseline">The baseline's height from the page's bottom, in points.</param>
/// <param name="FontSize">The line's most common font size, in points.</param>
/// <param name="Text">The words, separated by single spaces.</param>
internal sealed record PdfLine(int Page, double Left, double Baseline, double FontSize, string Text);
