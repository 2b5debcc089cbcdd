using BookBytes.Documents.Html;
using BookBytes.Documents.Text;

namespace BookBytes.Documents.Tests.Html;

public sealed class HtmlTextTests
{
    [Fact]
    public void Note_references_notes_page_breaks_images_and_tables_are_not_read()
    {
        var html = """
            <html><body lang="en">
            <h1>Chapter One</h1>
            <p>The river<a epub:type="noteref" href="#n1">1</a> ran   cold,<sup><a href="notes.xhtml#n2">2</a></sup> and the
            boat<span epub:type="pagebreak" title="12"/> drifted [3] on.</p>
            <p>Co&#173;operation was hard<span role="doc-noteref"><a href="#n3">*</a></span>.</p>
            <table><tr><td>cell</td></tr></table>
            <figure><img src="a.png" alt="a map"/><figcaption>The map.</figcaption></figure>
            <aside epub:type="footnote" id="n1"><p>A footnote.</p></aside>
            <script>alert(1)</script><style>p{}</style>
            <p lang="fr">Bon&#8203;jour.</p>
            </body></html>
            """;
        using var document = HtmlText.Parse(html);

        var blocks = HtmlText.Extract(document.Body!);

        blocks.Select(b => b.Text).Should().Equal("Chapter One", "The river ran cold, and the boat drifted on.", "Cooperation was hard.", "The map.", "Bonjour.");
        blocks[0].IsHeading.Should().BeTrue();
        blocks[4].Language.Should().Be("fr");
        blocks[1].Language.Should().Be("en");
        HtmlText.Paragraphs(blocks).Should().HaveCount(4);
    }

    [Fact]
    public void A_body_splits_at_the_anchors_it_is_given()
    {
        using var document = HtmlText.Parse("<html><body><p>Lead.</p><h2 id=\"a\">One</h2><p>First.</p><section epub:type=\"colophon\" id=\"b\"><h2>Two</h2><p>Second.</p></section></body></html>");

        var segments = HtmlText.Split(document.Body!, new HashSet<string> { "a", "b", "missing" });

        segments.Select(s => s.AnchorId).Should().Equal(null, "a", "b");
        segments[1].Title.Should().Be("One");
        segments[1].Paragraphs.Should().Equal("First.");
        segments[2].HasType("colophon").Should().BeTrue();
        segments[0].Paragraphs.Should().Equal("Lead.");
    }

    [Fact]
    public void Depth_is_estimated_from_elements_authors_close()
    {
        HtmlText.EstimateDepth("<div><div><a id=\"x\"/><p>a<p>b<span>c</span></div></div><div>").Should().Be(3);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_read_without_overflowing_the_stack_and_deeper_is_refused_before_parsing()
    {
        static string Nested(string tag, int depth) => string.Concat(Enumerable.Repeat($"<{tag}>", depth)) + "deep" + string.Concat(Enumerable.Repeat($"</{tag}>", depth));
        using var document = HtmlText.Parse(Nested("div", HtmlText.MaxDepth - 10));

        HtmlText.Extract(document.Body!).Select(b => b.Text).Should().Equal("deep");
        foreach (var tag in (string[])["div", "b", "font", "x-custom"])
        {
            FluentActions.Invoking(() => HtmlText.Parse(Nested(tag, 5_000))).Should().Throw<DocumentException>()
                .Which.ErrorCode.Should().Be(ErrorCodes.DocumentInvalid, tag + " counts");
        }

        using var unclosed = HtmlText.Parse(string.Concat(Enumerable.Repeat("<p>One more paragraph.", 5_000)));
        HtmlText.Extract(unclosed.Body!).Should().HaveCount(5_000, "paragraphs whose end tags are left out are not nesting");
    }

    [Theory]
    [InlineData("Table of Contents", ChapterKind.Front)]
    [InlineData("Acknowledgements", ChapterKind.Back)]
    [InlineData("Also by Jane Doe", ChapterKind.Front)]
    [InlineData("The Full Project Gutenberg License", ChapterKind.Back)]
    [InlineData("Notes", ChapterKind.Back)]
    [InlineData("Chapter 1: Notes from Underground", null)]
    public void Matter_titles_are_classified(string title, ChapterKind? kind)
    {
        MatterTitles.Classify(title).Should().Be(kind);
    }

    [Fact]
    public void Plain_text_cleanup_drops_markers_soft_hyphens_and_extra_space()
    {
        TextCleanup.Clean("  a\u00ADb  c [12]\u200B.\n d ").Should().Be("ab c. d");
    }

    [Fact]
    public void Hostile_runs_of_whitespace_and_unclosed_tags_are_cleaned_in_linear_time()
    {
        var text = "[" + new string(' ', 2_000_000) + "x";
        var html = "<p " + new string(' ', 2_000_000) + "x>" + text + "</p>";

        TextCleanup.Clean(text).Should().Be("[ x");
        using var document = HtmlText.Parse(html);
        HtmlText.Extract(document.Body!).Should().ContainSingle();

    }
}
