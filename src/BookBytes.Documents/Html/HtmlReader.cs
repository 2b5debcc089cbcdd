using AngleSharp.Html.Dom;
using BookBytes.Documents.Text;

namespace BookBytes.Documents.Html;

/// <summary>
/// Reads a single HTML or XHTML file (<c>text/html</c>, <c>application/xhtml+xml</c>) into chapters by its
/// headings (<see cref="HtmlChapters"/>), with its text cleaned by <see cref="HtmlText"/>.
/// </summary>
/// <remarks>
/// Title from <c>&lt;title&gt;</c>, else the first <c>h1</c>; authors from each <c>&lt;meta name="author"&gt;</c>
/// (one author a tag); language from <c>&lt;html lang&gt;</c>; description from
/// <c>&lt;meta name="description"&gt;</c>. Nothing is fetched and no script runs. Stateless and thread-safe.
/// </remarks>
internal sealed class HtmlReader : IBookDocumentReader
{
    /// <inheritdoc />
    public IReadOnlyList<string> MediaTypes { get; } = ["text/html", "application/xhtml+xml"];

    /// <inheritdoc />
    public DocumentMatch Sniff(ReadOnlySpan<byte> head)
    {
        if (!TextDecoding.LooksLikeText(head))
        {
            return DocumentMatch.No;
        }

        var text = TextDecoding.HeadText(head);
        if (text.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase))
        {
            // XHTML: the XML declaration (and any comment) before the root.
            var end = text.IndexOf("?>", StringComparison.Ordinal);
            text = end < 0 ? string.Empty : text[(end + 2)..].TrimStart();
        }

        if (text.StartsWith("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase) || text.StartsWith("<html", StringComparison.OrdinalIgnoreCase))
        {
            return DocumentMatch.Certain;
        }

        var early = text.Length > 1024 ? text[..1024] : text;
        return early.Contains("<body", StringComparison.OrdinalIgnoreCase) || early.Contains("<p>", StringComparison.OrdinalIgnoreCase)
            ? DocumentMatch.Maybe
            : DocumentMatch.No;
    }

    /// <inheritdoc />
    public Task<BookDocument> ReadAsync(DocumentInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        cancellationToken.ThrowIfCancellationRequested();
        using var document = HtmlText.Parse(TextDecoding.Decode(input.Content.Span));
        return Task.FromResult(Read(document, input.Limits, cancellationToken));
    }

    internal static BookDocument Read(IHtmlDocument document, DocumentLimits limits, CancellationToken cancellationToken)
    {
        var root = document.DocumentElement;
        var language = (root.GetAttribute("lang") ?? root.GetAttribute("xml:lang"))?.Trim() is { Length: > 0 } lang ? lang : "und";
        var authors = document.QuerySelectorAll("meta[name]")
            .Where(m => string.Equals(m.GetAttribute("name"), "author", StringComparison.OrdinalIgnoreCase))
            .Select(m => TextCleanup.Normalize(m.GetAttribute("content") ?? string.Empty))
            .Where(a => a.Length > 0)
            .ToList();
        var description = document.QuerySelectorAll("meta[name]")
            .FirstOrDefault(m => string.Equals(m.GetAttribute("name"), "description", StringComparison.OrdinalIgnoreCase))?.GetAttribute("content");
        var firstH1 = document.Body?.QuerySelector("h1") is { } h1 ? TextCleanup.Clean(h1.TextContent) : null;
        var title = HtmlChapters.TitleOf(document) ?? (firstH1 is { Length: > 0 } ? firstH1 : "Untitled");
        var chapters = HtmlChapters.Read(document, title, language, limits, cancellationToken);
        return new BookDocument
        {
            Title = title,
            Authors = authors,
            Language = language,
            Description = description is null || TextCleanup.Normalize(description).Length == 0 ? null : TextCleanup.Normalize(description),
            Chapters = chapters,
        };
    }
}
