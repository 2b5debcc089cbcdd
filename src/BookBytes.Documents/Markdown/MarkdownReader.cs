using BookBytes.Documents.Html;
using BookBytes.Documents.Text;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace BookBytes.Documents.Markdown;

/// <summary>
/// Reads Markdown (<c>text/markdown</c>, <c>text/x-markdown</c>): rendered to HTML by Markdig (CommonMark with
/// YAML front matter, footnotes and emphasis extras), then cut into chapters and cleaned exactly as an HTML file is
/// (<see cref="HtmlChapters"/>, <see cref="HtmlText"/>).
/// </summary>
/// <remarks>
/// Raw HTML in the Markdown is kept, as CommonMark allows, and goes through the same cleaner as any HTML: scripts,
/// styles, images and notes are dropped there, and nothing is fetched. Title from the front matter's
/// <c>title:</c>, else the first <c>#</c> heading; authors from <c>author:</c> or <c>authors:</c> (a list or one
/// name); language from <c>lang:</c> or <c>language:</c>; description from <c>description:</c>. Stateless and
/// thread-safe.
/// </remarks>
internal sealed class MarkdownReader : IBookDocumentReader
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UseFootnotes()
        .UseEmphasisExtras()
        .Build();

    /// <inheritdoc />
    public IReadOnlyList<string> MediaTypes { get; } = ["text/markdown", "text/x-markdown"];

    /// <inheritdoc />
    public DocumentMatch Sniff(ReadOnlySpan<byte> head) => TextDecoding.LooksLikeText(head) ? DocumentMatch.Maybe : DocumentMatch.No;

    /// <inheritdoc />
    public Task<BookDocument> ReadAsync(DocumentInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        cancellationToken.ThrowIfCancellationRequested();
        var markdown = TextDecoding.Decode(input.Content.Span);
        var parsed = Markdig.Markdown.Parse(markdown, Pipeline);
        var front = FrontMatter.Parse(parsed.Descendants<YamlFrontMatterBlock>().FirstOrDefault()?.Lines.ToString() ?? string.Empty);
        cancellationToken.ThrowIfCancellationRequested();
        var html = parsed.ToHtml(Pipeline);
        using var document = HtmlText.Parse($"<!DOCTYPE html><html><head></head><body>{html}</body></html>");
        var language = front.Language ?? "und";
        var chapters = HtmlChapters.Read(document, front.Title, language, input.Limits, cancellationToken);
        var firstH1 = document.Body?.QuerySelector("h1") is { } h1 ? TextCleanup.Clean(h1.TextContent) : null;
        return Task.FromResult(new BookDocument
        {
            Title = front.Title ?? (firstH1 is { Length: > 0 } ? firstH1 : chapters[0].Title),
            Authors = front.Authors,
            Language = language,
            Description = front.Description,
            Chapters = chapters,
        });
    }
}
