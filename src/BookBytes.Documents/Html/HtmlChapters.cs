using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using BookBytes.Documents.Text;

namespace BookBytes.Documents.Html;

/// <summary>
/// Cuts a single HTML document (an HTML file, or Markdown rendered to HTML) into chapters by its headings, for
/// <see cref="HtmlReader"/> and the Markdown reader.
/// </summary>
/// <remarks>
/// <para>
/// The chapter level is the highest heading level that occurs more than once (<c>h1</c> when there are several,
/// else <c>h2</c>, …): a lone <c>h1</c> above them is the book's title. The next level down that occurs becomes
/// chapters at <see cref="DocumentChapter.Level"/> 1 only inside a top-level section that has no text of its own
/// before its first such heading and holds at least two of them (a part holding chapters). A top-level section
/// with no text of its own and one such heading takes it as a subtitle ("Chapter 1: The Beginning"). Elsewhere
/// those headings, and all deeper ones, stay in their chapter and are read as paragraphs.
/// </para>
/// <para>
/// A first top-level heading that repeats the book's title is not a chapter: it belongs to what comes before the
/// first chapter. Text before the first chapter heading becomes a front chapter titled by its own heading (or "Title Page") when
/// it has at most <see cref="FrontWords"/> words, else a body chapter. A document without repeated headings is one
/// chapter. Notes sections (<c>role="doc-endnotes"</c>, <c>class="footnotes"</c> as Markdig writes them) are left out
/// by <see cref="HtmlText"/>. Thread-safe.
/// </para>
/// </remarks>
internal static class HtmlChapters
{
    /// <summary>The most words text before the first chapter heading may have to be front matter.</summary>
    internal const int FrontWords = 300;

    private const string AnchorPrefix = "bookbytes-chapter-";

    /// <summary>Reads the chapters of <paramref name="document"/>.</summary>
    /// <exception cref="DocumentException">More chapter headings than <see cref="DocumentLimits.MaxChapters"/>.</exception>
    public static IReadOnlyList<DocumentChapter> Read(IHtmlDocument document, string? bookTitle, string bookLanguage, DocumentLimits limits, CancellationToken cancellationToken)
    {
        var body = document.Body ?? throw new DocumentException("The document has no body.");
        var levels = Enumerable.Range(1, 6).Select(n => body.GetElementsByTagName("h" + n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Length).ToArray();
        var top = Array.FindIndex(levels, c => c > 1);
        var builder = new ChapterBuilder(limits);
        if (top < 0)
        {
            var blocks = HtmlText.Extract(body);
            var title = blocks.FirstOrDefault(b => b.IsHeading)?.Text ?? TitleOf(document) ?? "Untitled";
            builder.Add(title, 0, ChapterKind.Body, HtmlText.Paragraphs(blocks), LanguageOf(blocks, bookLanguage));
            return builder.Chapters;
        }

        if (levels[top] > limits.MaxChapters + 1)
        {
            builder.TooMany(levels[top]);
        }

        var sub = Array.FindIndex(levels, top + 1, c => c > 0);
        var headings = body.QuerySelectorAll(sub < 0 ? Tag(top) : Tag(top) + "," + Tag(sub)).ToList();

        // A first heading that repeats the book's title opens the title page, not a chapter.
        if (headings.Count > 0 && bookTitle is not null && headings[0].LocalName == Tag(top)
            && string.Equals(TextCleanup.Clean(headings[0].TextContent), bookTitle, StringComparison.OrdinalIgnoreCase))
        {
            headings.RemoveAt(0);
        }

        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var topIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < headings.Count; i++)
        {
            var id = AnchorPrefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            headings[i].Id = id;
            anchors.Add(id);
            if (headings[i].LocalName == Tag(top))
            {
                topIds.Add(id);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var segments = HtmlText.Split(body, anchors);
        var first = segments[0];
        if (first.Blocks.Count > 0)
        {
            var paragraphs = first.Blocks.Where(b => !b.IsHeading || b.Text != first.Title).Select(b => b.Text).ToList();
            var front = DocumentText.CountWords(paragraphs) <= FrontWords;
            if (paragraphs.Count > 0 || first.Title is null)
            {
                builder.Add(front ? first.Title ?? "Title Page" : first.Title ?? TitleOf(document) ?? "Opening", 0, front ? ChapterKind.Front : null, paragraphs, LanguageOf(first.Blocks, bookLanguage));
            }
        }

        // A part holds its chapters when nothing but headings stands between it and its first sub heading.
        var nested = false;
        DocumentChapter? open = null;
        var openParagraphs = new List<string>();
        for (var s = 1; s < segments.Count; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var segment = segments[s];
            var isTop = topIds.Contains(segment.AnchorId!);
            if (isTop)
            {
                Close();
                var paragraphs = segment.Paragraphs.ToList();
                var headingRun = segment.Blocks.TakeWhile(b => b.IsHeading).Select(b => b.Text).ToList();
                var title = headingRun.Count == 0 ? string.Empty : headingRun.Count == 1 ? headingRun[0] : JoinSubtitle(headingRun[0], headingRun[1]);
                var subs = 0;
                while (s + 1 + subs < segments.Count && !topIds.Contains(segments[s + 1 + subs].AnchorId!))
                {
                    subs++;
                }

                nested = paragraphs.Count == 0 && subs > 1;
                open = new DocumentChapter(0, title, 0, ChapterKind.Body, [], LanguageOf(segment.Blocks, bookLanguage));
                openParagraphs = paragraphs;
            }
            else if (nested || open is null)
            {
                Close();
                open = new DocumentChapter(0, segment.Title ?? string.Empty, nested ? 1 : 0, ChapterKind.Body, [], LanguageOf(segment.Blocks, bookLanguage));
                openParagraphs = [.. segment.Paragraphs];
            }
            else if (openParagraphs.Count == 0 && segment.Title is { } subtitle && open.Level == 0)
            {
                // The only sub heading, straight after its chapter's heading: a subtitle.
                open = open with { Title = JoinSubtitle(open.Title, subtitle) };
                openParagraphs.AddRange(segment.Paragraphs);
            }
            else
            {
                // A section inside a chapter: its heading is read as a paragraph of the chapter.
                openParagraphs.AddRange(segment.Blocks.Select(b => b.Text));
            }
        }

        Close();
        return builder.Chapters;

        void Close()
        {
            if (open is not null)
            {
                builder.Add(open.Title, open.Level, null, openParagraphs, open.Language);
                open = null;
            }
        }
    }

    /// <summary>The document's <c>&lt;title&gt;</c>, cleaned, or <see langword="null"/>.</summary>
    public static string? TitleOf(IHtmlDocument document)
    {
        var title = TextCleanup.Normalize(document.Title ?? string.Empty);
        return title.Length == 0 ? null : title;
    }

    private static string JoinSubtitle(string title, string subtitle)
        => title.EndsWith('.') || title.EndsWith(':') ? title + " " + subtitle : title + ": " + subtitle;

    private static string Tag(int index) => "h" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string? LanguageOf(IReadOnlyList<HtmlBlock> blocks, string bookLanguage)
    {
        var language = blocks.FirstOrDefault(b => !b.IsHeading)?.Language ?? (blocks.Count > 0 ? blocks[0].Language : null);
        return language is null || string.Equals(language, bookLanguage, StringComparison.OrdinalIgnoreCase) ? null : language;
    }
}
