using System.Globalization;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Outline;
using UglyToad.PdfPig.Outline.Destinations;
using UglyToad.PdfPig.Writer;

namespace BookBytes.Documents.Tests.Pdf;

/// <summary>
/// Lays out a book as a PDF with PdfPig's writer: A4 pages, Helvetica 11 pt on 14 pt leading, first lines
/// indented, headings larger, optional running head, page numbers and bookmarks. A line break in a paragraph
/// is kept as a line end, so a test decides where words are broken.
/// </summary>
internal sealed class PdfBookBuilder
{
    private const double Left = 72;
    private const double Top = 770;
    private const double Bottom = 72;
    private const double BodySize = 11;
    private const double Leading = 14;
    private const int LineChars = 80;

    private readonly List<(string? Heading, int Level, bool NewPage, IReadOnlyList<string> Paragraphs)> _sections = [];

    public string? Title { get; init; }

    public string? Author { get; init; }

    public string? Subject { get; init; }

    public string? RunningHead { get; init; }

    /// <summary>Gets the page number format, such as <c>{0}</c> or <c>Page {0}</c>; none when <see langword="null"/>.</summary>
    public string? PageNumbers { get; init; }

    public bool Bookmarks { get; init; }

    /// <summary>Gets the heading size; the body's size makes headings that only bookmarks can find.</summary>
    public double HeadingSize { get; init; } = 20;

    public PdfBookBuilder Section(string? heading, params string[] paragraphs) => Section(heading, 0, true, paragraphs);

    public PdfBookBuilder Section(string? heading, int level, bool newPage, params string[] paragraphs)
    {
        _sections.Add((heading, level, newPage, paragraphs));
        return this;
    }

    public byte[] Build()
    {
        using var builder = new PdfDocumentBuilder();
        builder.DocumentInformation.Title = Title;
        builder.DocumentInformation.Author = Author;
        builder.DocumentInformation.Subject = Subject;
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var pages = new List<PdfPageBuilder>();
        var marks = new List<(string Title, int Level, int Page, double Top)>();
        PdfPageBuilder? page = null;
        var y = Top;

        void NewPage()
        {
            page = builder.AddPage(PageSize.A4);
            pages.Add(page);
            y = Top;
        }

        void Line(string text, double size, double indent)
        {
            if (page is null || y < Bottom)
            {
                NewPage();
            }

            page!.AddText(text, size, new PdfPoint(Left + indent, y), font);
            y -= size > BodySize ? size * 1.5 : Leading;
        }

        foreach (var (heading, level, newPage, paragraphs) in _sections)
        {
            if (newPage || page is null)
            {
                NewPage();
            }

            if (heading is not null)
            {
                if (y < Bottom + 60)
                {
                    NewPage();
                }

                y -= y < Top ? Leading : 0;
                marks.Add((heading, level, pages.Count, y + HeadingSize));
                Line(heading, HeadingSize, 0);
            }

            foreach (var paragraph in paragraphs)
            {
                var lines = paragraph.Contains('\n', StringComparison.Ordinal) ? paragraph.Split('\n') : Wrap(paragraph);
                for (var i = 0; i < lines.Length; i++)
                {
                    Line(lines[i], BodySize, i == 0 ? 18 : 0);
                }
            }
        }

        for (var i = 0; i < pages.Count; i++)
        {
            if (RunningHead is not null)
            {
                pages[i].AddText(RunningHead, 9, new PdfPoint(Left, 800), font);
            }

            if (PageNumbers is not null)
            {
                pages[i].AddText(string.Format(CultureInfo.InvariantCulture, PageNumbers, i + 1, pages.Count), 9, new PdfPoint(290, 40), font);
            }
        }

        if (Bookmarks)
        {
            builder.Bookmarks = new Bookmarks(Nest(marks, 0, 0, out _));
        }

        return builder.Build();
    }

    private static List<BookmarkNode> Nest(List<(string Title, int Level, int Page, double Top)> marks, int from, int level, out int next)
    {
        var nodes = new List<BookmarkNode>();
        var i = from;
        while (i < marks.Count && marks[i].Level >= level)
        {
            var mark = marks[i];
            var children = Nest(marks, i + 1, level + 1, out i);
            var destination = new ExplicitDestination(mark.Page, ExplicitDestinationType.XyzCoordinates, new ExplicitDestinationCoordinates(Left, mark.Top));
            nodes.Add(new DocumentBookmarkNode(mark.Title, level, destination, children));
        }

        next = i;
        return nodes;
    }

    private static string[] Wrap(string paragraph)
    {
        var lines = new List<string>();
        var line = string.Empty;
        foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > LineChars)
            {
                lines.Add(line);
                line = word;
            }
            else
            {
                line = line.Length == 0 ? word : line + " " + word;
            }
        }

        if (line.Length > 0)
        {
            lines.Add(line);
        }

        return [.. lines];
    }
}
