using System.Text.RegularExpressions;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Exceptions;
using UglyToad.PdfPig.Outline;
using UglyToad.PdfPig.Tokens;

namespace BookBytes.Documents.Pdf;

/// <summary>
/// Reads a PDF's text layer with PdfPig: metadata from the document information and the catalog's <c>/Lang</c>;
/// chapters from the outline (bookmarks), else from headings set clearly larger than the body text, else from
/// ranges of pages; running headers, footers and page numbers removed.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal sealed partial class PdfReader : IBookDocumentReader
{
    /// <summary>How many pages a PDF may have per allowed chapter (10,000 with the default 2,000 chapters).</summary>
    internal const int PagesPerChapterLimit = 5;

    private const int PagesPerRange = 10;
    private const int WordsPerRange = 3_000;

    private static readonly byte[] Signature = "%PDF-"u8.ToArray();

    public IReadOnlyList<string> MediaTypes { get; } = ["application/pdf"];

    public DocumentMatch Sniff(ReadOnlySpan<byte> head)
        // PDF readers accept junk before the header within the first kilobyte.
        => head[..Math.Min(head.Length, 1024)].IndexOf(Signature) >= 0 ? DocumentMatch.Certain : DocumentMatch.No;

    public Task<BookDocument> ReadAsync(DocumentInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(input, cancellationToken));
    }

    private BookDocument Read(DocumentInput input, CancellationToken cancellationToken)
    {
        var content = input.Content.Span;
        if (Sniff(content[..Math.Min(content.Length, 1024)]) != DocumentMatch.Certain)
        {
            throw new DocumentException("The document is not a PDF: it has no %PDF- header.");
        }

        if (content[Math.Max(0, content.Length - 8192)..].IndexOf("%%EOF"u8) < 0)
        {
            throw new DocumentException("The PDF is truncated: it has no end-of-file marker.");
        }

        PdfStreamBudget.Check(input.Content, input.Limits, cancellationToken);
        using var document = Open(input.Content);
        if (document.IsEncrypted)
        {
            // Even when it opens without a password, its permissions may forbid extracting the text.
            throw new DocumentException("The PDF is encrypted; send it without encryption.", ErrorCodes.DocumentEncrypted);
        }

        var maxPages = (long)input.Limits.MaxChapters * PagesPerChapterLimit;
        var pageCount = document.NumberOfPages;
        if (pageCount > maxPages)
        {
            throw new DocumentException($"The PDF has {pageCount} pages; at most {maxPages} are accepted.", ErrorCodes.DocumentTooLarge);
        }

        if (pageCount <= 0)
        {
            throw new DocumentException("The PDF has no pages.");
        }

        var pages = new List<List<PdfLine>>(pageCount);
        for (var number = 1; number <= pageCount; number++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            pages.Add(ReadPage(document, number));
        }

        if (pages.All(p => p.Count == 0))
        {
            throw new DocumentException("The PDF has no text to read (a scanned book without a text layer?).");
        }

        var bodySize = PdfParagraphs.Modal(pages.SelectMany(p => p).SelectMany(l => Enumerable.Repeat(l.FontSize, Math.Max(1, l.Text.Length / 10))));
        RemoveRunningHeadsAndPageNumbers(pages, bodySize);
        var lines = pages.SelectMany(p => p).ToList();
        if (lines.Count == 0)
        {
            throw new DocumentException("The PDF has no text to read (a scanned book without a text layer?).");
        }

        var info = document.Information;
        var segments = FromBookmarks(document, lines, input.Limits) ?? FromHeadings(lines, bodySize) ?? FromPageRanges(pages);
        if (segments.Count > input.Limits.MaxChapters)
        {
            throw new DocumentException($"The PDF has {segments.Count} chapters; at most {input.Limits.MaxChapters} are accepted.", ErrorCodes.DocumentTooLarge);
        }

        var title = NullIfBlank(info.Title) ?? segments.FirstOrDefault(s => !s.Untitled)?.Title ?? "Untitled";
        var chapters = new List<DocumentChapter>(segments.Count);
        foreach (var segment in segments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var paragraphs = PdfParagraphs.Build(segment.Lines);
            if (paragraphs.Count > 0 && Same(paragraphs[0], segment.Title))
            {
                paragraphs.RemoveAt(0);
            }

            if (paragraphs.Count == 0 && segment.Untitled)
            {
                continue;
            }

            var chapterTitle = segment.Untitled ? title : segment.Title;
            var kind = segment.Untitled ? ChapterKind.Front : Text.MatterTitles.Classify(chapterTitle) ?? ChapterKind.Body;
            chapters.Add(new DocumentChapter(chapters.Count + 1, chapterTitle, segment.Level, kind, paragraphs));
        }

        return new BookDocument
        {
            Title = title,
            Authors = SplitAuthors(info.Author),
            Language = Language(document) ?? "und",
            Description = NullIfBlank(info.Subject),
            Chapters = chapters,
        };
    }

    private static PdfDocument Open(ReadOnlyMemory<byte> content)
    {
        try
        {
            return PdfDocument.Open(content.ToArray(), new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
        }
        catch (PdfDocumentEncryptedException ex)
        {
            throw new DocumentException("The PDF is encrypted and needs a password; send it without encryption.", ErrorCodes.DocumentEncrypted, ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            throw new DocumentException("The PDF is broken: its structure could not be read.", ErrorCodes.DocumentInvalid, ex);
        }
    }

    private static List<PdfLine> ReadPage(PdfDocument document, int number)
    {
        try
        {
            return ReadLines(document.GetPage(number));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException and not DocumentException)
        {
            // A pages tree that loops, a missing page object, a content stream that does not parse.
            throw new DocumentException($"The PDF is broken: page {number} could not be read.", ErrorCodes.DocumentInvalid, ex);
        }
    }

    /// <summary>Groups a page's words into lines by baseline, top to bottom.</summary>
    private static List<PdfLine> ReadLines(Page page)
    {
        var words = page.GetWords()
            .Where(w => w.Letters.Count > 0 && !string.IsNullOrWhiteSpace(w.Text))
            .Select(w => (Word: w, Baseline: w.Letters[0].StartBaseLine.Y, Size: PdfParagraphs.Modal(w.Letters.Select(l => l.PointSize))))
            .OrderByDescending(w => w.Baseline)
            .ThenBy(w => w.Word.BoundingBox.Left)
            .ToList();
        var lines = new List<PdfLine>();
        var start = 0;
        for (var i = 1; i <= words.Count; i++)
        {
            if (i < words.Count && words[start].Baseline - words[i].Baseline <= Math.Max(1, words[start].Size * 0.3))
            {
                continue;
            }

            var run = words.GetRange(start, i - start).OrderBy(w => w.Word.BoundingBox.Left).ToList();
            var size = PdfParagraphs.Modal(run.SelectMany(w => w.Word.Letters).Select(l => l.PointSize));
            lines.Add(new PdfLine(page.Number, run[0].Word.BoundingBox.Left, words[start].Baseline, size, string.Join(' ', run.Select(w => w.Word.Text))));
            start = i;
        }

        return lines;
    }

    /// <summary>
    /// Removes bare page numbers ("12", "Page 12", "12 of 300") from the top and bottom of pages, and lines
    /// repeated at the same place on most pages (running heads; digits are ignored when comparing).
    /// </summary>
    private static void RemoveRunningHeadsAndPageNumbers(List<List<PdfLine>> pages, double bodySize)
    {
        static IEnumerable<PdfLine> Edges(List<PdfLine> page) => page.Take(2).Concat(page.Skip(Math.Max(2, page.Count - 2)));

        // A heading set larger than the body ("Chapter 3" opening each chapter's page) is not a running head.
        bool Small(PdfLine line) => line.FontSize <= bodySize + 0.5;
        static (string, double) Key(PdfLine line) => (Digits().Replace(line.Text.ToLowerInvariant(), "#"), Math.Round(line.Baseline / 2));

        var repeated = new HashSet<(string, double)>();
        if (pages.Count >= 3)
        {
            var threshold = Math.Max(3, pages.Count / 2);
            repeated = pages.SelectMany(p => Edges(p).Where(Small).Select(Key).Distinct())
                .GroupBy(k => k)
                .Where(g => g.Count() >= threshold)
                .Select(g => g.Key)
                .ToHashSet();
        }

        foreach (var page in pages)
        {
            var drop = Edges(page).Where(l => Small(l) && (PageNumber().IsMatch(l.Text) || repeated.Contains(Key(l)))).ToHashSet();
            page.RemoveAll(drop.Contains);
        }
    }

    private static List<Segment>? FromBookmarks(PdfDocument document, List<PdfLine> lines, DocumentLimits limits)
    {
        if (!document.TryGetBookmarks(out var bookmarks) || bookmarks is null)
        {
            return null;
        }

        var starts = new List<(string Title, int Level, int Page, double? Top)>();
        var pending = new Stack<BookmarkNode>(bookmarks.Roots.Reverse());
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node is DocumentBookmarkNode target && !string.IsNullOrWhiteSpace(node.Title))
            {
                starts.Add((PdfParagraphs.Clean(node.Title), node.Level, target.PageNumber, target.Destination.Coordinates.Top));
                if (starts.Count > limits.MaxChapters)
                {
                    throw new DocumentException($"The PDF's outline has more than {limits.MaxChapters} entries; at most {limits.MaxChapters} chapters are accepted.", ErrorCodes.DocumentTooLarge);
                }
            }

            foreach (var child in node.Children.Reverse())
            {
                pending.Push(child);
            }
        }

        if (starts.Count == 0)
        {
            return null;
        }

        // Outlines are in reading order as a rule; a stable sort by page keeps that and mends the exceptions.
        starts = [.. starts.OrderBy(s => s.Page)];
        var segments = new List<Segment> { new(string.Empty, 0, true) };
        segments.AddRange(starts.Select(s => new Segment(s.Title, Math.Max(0, s.Level), false)));
        var next = 0;
        foreach (var line in lines)
        {
            while (next < starts.Count && Reached(starts[next].Page, starts[next].Top, line))
            {
                next++;
            }

            segments[next].Lines.Add(line);
        }

        return segments;

        static bool Reached(int page, double? top, PdfLine line)
            => line.Page > page || (line.Page == page && (top is null || line.Baseline <= top.Value + 1));
    }

    private static List<Segment>? FromHeadings(List<PdfLine> lines, double body)
    {
        bool IsHeading(PdfLine l) => l.FontSize >= body * 1.15 && l.FontSize - body >= 1 && l.Text.Split(' ').Length <= 20;

        var sizes = lines.Where(IsHeading).Select(l => l.FontSize).Distinct().OrderDescending().ToList();
        if (lines.Count(IsHeading) < 2)
        {
            return null;
        }

        var segments = new List<Segment> { new(string.Empty, 0, true) };
        PdfLine? previous = null;
        foreach (var line in lines)
        {
            if (IsHeading(line))
            {
                var continued = previous is not null && IsHeading(previous) && previous.Page == line.Page && Math.Abs(previous.FontSize - line.FontSize) < 0.5;
                if (continued && segments[^1].Lines.Count == 0)
                {
                    segments[^1] = segments[^1] with { Title = segments[^1].Title + " " + line.Text };
                }
                else
                {
                    segments.Add(new Segment(PdfParagraphs.Clean(line.Text), Math.Min(sizes.IndexOf(line.FontSize), 2), false));
                }
            }
            else
            {
                segments[^1].Lines.Add(line);
            }

            previous = line;
        }

        return segments;
    }

    private static List<Segment> FromPageRanges(List<List<PdfLine>> pages)
    {
        var segments = new List<Segment>();
        var first = 1;
        var words = 0;
        var collected = new List<PdfLine>();
        for (var i = 0; i < pages.Count; i++)
        {
            collected.AddRange(pages[i]);
            words += pages[i].Sum(l => l.Text.Split(' ').Length);
            var last = i + 1;
            if (last - first + 1 >= PagesPerRange || words >= WordsPerRange || last == pages.Count)
            {
                if (collected.Count > 0)
                {
                    var title = first == last ? $"Page {first}" : $"Pages {first}–{last}";
                    segments.Add(new Segment(title, 0, false) { Lines = collected });
                }

                collected = [];
                words = 0;
                first = last + 1;
            }
        }

        return segments;
    }

    private static string? Language(PdfDocument document)
    {
        if (!document.Structure.Catalog.CatalogDictionary.Data.TryGetValue("Lang", out var token))
        {
            return null;
        }

        var value = token switch
        {
            StringToken s => s.Data,
            HexToken h => h.Data,
            NameToken n => n.Data,
            _ => null,
        };
        return value is not null && LanguageTag().IsMatch(value.Trim()) ? value.Trim() : null;
    }

    private static List<string> SplitAuthors(string? authors)
        => string.IsNullOrWhiteSpace(authors)
            ? []
            : [.. AuthorSeparator().Split(authors).Select(a => a.Trim()).Where(a => a.Length > 0)];

    private static bool Same(string a, string b)
        => string.Equals(PdfParagraphs.Clean(a), PdfParagraphs.Clean(b), StringComparison.OrdinalIgnoreCase);

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : PdfParagraphs.Clean(value);

    [GeneratedRegex(@"^[-–—\s]*(page\s+)?(\d{1,5}|[ivxlcdm]{1,8})(\s*(of|/)\s*\d{1,5})?[-–—\s]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PageNumber();

    [GeneratedRegex(@"\d+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Digits();

    [GeneratedRegex(@"\s*(?:;|,|&|\band\b)\s*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex AuthorSeparator();

    [GeneratedRegex(@"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex LanguageTag();

    /// <summary>A chapter being collected: its title, nesting and lines. <c>Untitled</c> is the text before the first chapter.</summary>
    private sealed record Segment(string Title, int Level, bool Untitled)
    {
        public List<PdfLine> Lines { get; init; } = [];
    }
}
