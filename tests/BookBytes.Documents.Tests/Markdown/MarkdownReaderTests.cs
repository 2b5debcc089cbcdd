using System.Text;
using BookBytes.Documents.Markdown;
using BookBytes.Documents.Tests.PlainText;

namespace BookBytes.Documents.Tests.Markdown;

public sealed class MarkdownReaderTests
{
    private const string Book = """
        ---
        title: "Field Notes"
        author:
          - Cora Lane
          - Dev Patel
        lang: en-GB
        description: Notes from the field.
        ---

        # Part I

        ## Chapter 1

        The *morning* was grey,[^1] and the
        hedges dripped.

        ### A detour

        We went round.

        ## Chapter 2

        <script>alert('x')</script>
        <p>Raw <b>HTML</b> is read too.</p>

        # Part II

        ## Chapter 3

        Home at last.

        ## Chapter 4

        Gone again.

        [^1]: As mornings are.
        """;

    [Fact]
    public async Task Front_matter_gives_the_metadata()
    {
        var book = await Read(Book);

        book.Title.Should().Be("Field Notes");
        book.Authors.Should().Equal("Cora Lane", "Dev Patel");
        book.Language.Should().Be("en-GB");
        book.Description.Should().Be("Notes from the field.");
    }

    [Fact]
    public async Task Nested_headings_become_parts_and_chapters_with_clean_text()
    {
        var book = await Read(Book);

        book.Chapters.Select(c => (c.Title, c.Level)).Should().Equal(("Part I", 0), ("Chapter 1", 1), ("Chapter 2", 1), ("Part II", 0), ("Chapter 3", 1), ("Chapter 4", 1));
        book.Chapters[1].Paragraphs.Should().Equal("The morning was grey, and the hedges dripped.", "A detour", "We went round.");
        book.Chapters[2].Paragraphs.Should().Equal("Raw HTML is read too.");
        book.Chapters.SelectMany(c => c.Paragraphs).Should().NotContain(p => p.Contains("mornings are", StringComparison.Ordinal) || p.Contains("alert", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_front_matter_the_first_heading_is_the_title()
    {
        var book = await Read("# My Guide\n\nIntro text.\n\n## Setup\n\nDo this.\n\n## Use\n\nDo that.\n");

        book.Title.Should().Be("My Guide");
        book.Language.Should().Be("und");
        book.Chapters.Select(c => (c.Title, c.Kind)).Should().Equal(("My Guide", ChapterKind.Front), ("Setup", ChapterKind.Body), ("Use", ChapterKind.Body));
        book.Chapters[0].Paragraphs.Should().Equal("Intro text.");
    }

    [Fact]
    public async Task A_declared_markdown_upload_is_read_as_markdown()
    {
        var book = await PlainTextReaderTests.Parser().ParseAsync(Encoding.UTF8.GetBytes(Book), "text/markdown; charset=utf-8");

        book.Title.Should().Be("Field Notes");
        book.Chapters.Should().HaveCount(6);
    }

    [Fact]
    public async Task Deeply_nested_markdown_is_read_or_refused_but_never_crashes()
    {
        var markdown = new string('>', 20_000) + " deep\n\n" + new string('[', 20_000) + "x\n\n" + string.Concat(Enumerable.Repeat("* ", 5_000)) + "y";

        var act = () => PlainTextReaderTests.Parser().ParseAsync(Encoding.UTF8.GetBytes(markdown), "text/markdown");

        try
        {
            (await act()).Chapters.Should().NotBeEmpty();
        }
        catch (DocumentException ex)
        {
            ex.ErrorCode.Should().BeOneOf(ErrorCodes.DocumentInvalid, ErrorCodes.DocumentTooLarge);
        }
    }

    private static Task<BookDocument> Read(string markdown)
        => new MarkdownReader().ReadAsync(new DocumentInput(Encoding.UTF8.GetBytes(markdown), "text/markdown", DocumentLimits.Default));
}
