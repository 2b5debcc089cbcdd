using System.Text;
using BookBytes.Documents.Html;
using BookBytes.Documents.Tests.PlainText;

namespace BookBytes.Documents.Tests.Html;

public sealed class HtmlReaderTests
{
    private const string Book = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <title>The Lighthouse Keeper</title>
          <meta name="author" content="Ada Brook">
          <meta name="author" content="Ben Carr">
          <meta name="description" content="A  keeper and   his light.">
          <script>document.write('no')</script>
        </head>
        <body>
          <h1>The Lighthouse Keeper</h1>
          <h2>Contents</h2>
          <ol><li>Part One</li></ol>
          <h1>Part One</h1>
          <h2>Chapter 1</h2>
          <p>The lamp was lit<sup><a href="#fn1" id="r1">1</a></sup> at dusk, as it had
             been for forty   years, and the keeper climbed the stair.[3]</p>
          <h3>At the top</h3>
          <p>He rested.</p>
          <h2>Chapter 2</h2>
          <p lang="fr">Il pleuvait.</p>
          <h1>Part Two</h1>
          <p>Years later.</p>
          <h2>Chapter 3</h2>
          <p>The end came quietly.</p>
          <aside class="footnotes"><p id="fn1">1. Paraffin, in those days.</p></aside>
          <section role="doc-endnotes"><ol><li id="fn2">A second note.</li></ol></section>
          <h1>Acknowledgements</h1>
          <p>Thanks to all.</p>
        </body>
        </html>
        """;

    [Fact]
    public async Task Metadata_comes_from_the_head_and_the_html_element()
    {
        var book = await Read(Book);

        book.Title.Should().Be("The Lighthouse Keeper");
        book.Authors.Should().Equal("Ada Brook", "Ben Carr");
        book.Language.Should().Be("en");
        book.Description.Should().Be("A keeper and his light.");
    }

    [Fact]
    public async Task Repeated_h1s_start_chapters_h2s_nest_under_a_part_without_text_of_its_own_and_a_title_h1_is_no_chapter()
    {
        var book = await Read(Book);

        book.Chapters.Select(c => (c.Title, c.Level, c.Kind)).Should().Equal(
            ("Contents", 0, ChapterKind.Front),
            ("Part One", 0, ChapterKind.Body),
            ("Chapter 1", 1, ChapterKind.Body),
            ("Chapter 2", 1, ChapterKind.Body),
            ("Part Two", 0, ChapterKind.Body),
            ("Acknowledgements", 0, ChapterKind.Back));
        book.Chapters[0].Paragraphs.Should().Equal("Part One");
        book.Chapters[1].Paragraphs.Should().BeEmpty();
        book.Chapters[3].Language.Should().Be("fr");
        book.Chapters[4].Paragraphs.Should().Equal("Years later.", "Chapter 3", "The end came quietly.");
    }

    [Fact]
    public async Task Footnote_links_and_notes_sections_are_not_read()
    {
        var book = await Read(Book);

        book.Chapters.Single(c => c.Title == "Chapter 1").Paragraphs.Should().Equal(
            "The lamp was lit at dusk, as it had been for forty years, and the keeper climbed the stair.",
            "At the top",
            "He rested.");
        book.Chapters.SelectMany(c => c.Paragraphs).Should().NotContain(p => p.Contains("Paraffin", StringComparison.Ordinal) || p.Contains("second note", StringComparison.Ordinal) || p.Contains("document.write", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_lone_h1_is_the_title_and_repeated_h2s_are_the_chapters()
    {
        var book = await Read("<html><body><h1>Essays</h1><h2>One</h2><p>First.</p><h2>Two</h2><h3>A subtitle</h3><p>Second.</p></body></html>");

        book.Title.Should().Be("Essays");
        book.Language.Should().Be("und");
        book.Chapters.Select(c => c.Title).Should().Equal("One", "Two: A subtitle");
        book.Chapters[1].Paragraphs.Should().Equal("Second.");
    }

    [Fact]
    public async Task A_document_without_repeated_headings_is_one_chapter()
    {
        var book = await Read("<p>Just a paragraph.</p><p>And another.</p>");

        book.Title.Should().Be("Untitled");
        book.Chapters.Should().ContainSingle().Which.Paragraphs.Should().Equal("Just a paragraph.", "And another.");
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html>", DocumentMatch.Certain)]
    [InlineData("\uFEFF  \n<HTML lang=\"en\">", DocumentMatch.Certain)]
    [InlineData("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">", DocumentMatch.Certain)]
    [InlineData("<div>hello</div><body>", DocumentMatch.Maybe)]
    [InlineData("Plain words, no markup.", DocumentMatch.No)]
    public void Sniffing_knows_an_html_root(string head, DocumentMatch match)
    {
        new HtmlReader().Sniff(Encoding.UTF8.GetBytes(head)).Should().Be(match);
    }

    [Fact]
    public void Binary_is_not_html()
    {
        new HtmlReader().Sniff([0x25, 0x50, 0x44, 0x46, 0x00, 0xFF, 0x01, 0x02]).Should().Be(DocumentMatch.No);
    }

    [Fact]
    public async Task A_txt_upload_that_is_really_html_is_read_as_html()
    {
        var book = await PlainTextReaderTests.Parser().ParseAsync(Encoding.UTF8.GetBytes(Book), "text/plain");

        book.Title.Should().Be("The Lighthouse Keeper");
        book.Chapters.Should().Contain(c => c.Title == "Chapter 1" && c.Level == 1);
        book.Chapters.SelectMany(c => c.Paragraphs).Should().NotContain(p => p.Contains('<', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Many_headings_stop_at_the_chapter_limit_quickly()
    {
        var html = "<html><body>" + string.Concat(Enumerable.Range(1, 10_000).Select(i => $"<h2>Chapter {i}</h2><p>Text.</p>")) + "</body></html>";
        var parser = PlainTextReaderTests.Parser(o => o.MaxChapters = 100);

        var act = () => parser.ParseAsync(Encoding.UTF8.GetBytes(html), "text/html");

        (await act.Should().ThrowAsync<DocumentException>()).Which.ErrorCode.Should().Be(ErrorCodes.DocumentTooLarge);
    }

    private static Task<BookDocument> Read(string html)
        => new HtmlReader().ReadAsync(new DocumentInput(Encoding.UTF8.GetBytes(html), "text/html", DocumentLimits.Default));
}
