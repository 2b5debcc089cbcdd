using System.Text;
using BookBytes.Documents.Epub;
using static BookBytes.Documents.Tests.Epub.EpubBuilder;

namespace BookBytes.Documents.Tests.Epub;

public sealed class EpubReaderTests
{
    private const string Nav = """
        <nav epub:type="toc"><ol>
          <li><a href="copyright.xhtml">Copyright</a></li>
          <li><a href="part1.xhtml">Part One</a>
            <ol>
              <li><a href="ch1.xhtml">Chapter 1</a></li>
              <li><a href="ch2.xhtml#c2">Chapter 2</a></li>
              <li><a href="ch2.xhtml#c3">Chapter 3</a></li>
            </ol>
          </li>
          <li><a href="ch4a.xhtml">Chapter 4</a></li>
          <li><a href="notes.xhtml">Notes</a></li>
          <li><a href="ack.xhtml">Acknowledgements</a></li>
        </ol></nav>
        <nav epub:type="landmarks"><ol>
          <li><a epub:type="copyright-page" href="copyright.xhtml">Copyright</a></li>
          <li><a epub:type="bodymatter" href="part1.xhtml">Start</a></li>
        </ol></nav>
        """;

    [Fact]
    public async Task Epub3_nav_gives_nested_chapters_split_at_anchors_joined_over_files_with_notes_removed()
    {
        var files = new[] { "title.xhtml", "copyright.xhtml", "part1.xhtml", "ch1.xhtml", "ch2.xhtml", "ch4a.xhtml", "ch4b.xhtml", "notes.xhtml", "ack.xhtml" };
        var (manifest, spine) = Items(files);
        var epub = new EpubBuilder().Standard(Package(
                """<dc:title>The Quiet River</dc:title><dc:creator>Ann Writer</dc:creator><dc:language>en</dc:language><dc:identifier id="id">urn:isbn:978-0-306-40615-7</dc:identifier>""",
                manifest + """<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/><item id="c" href="img/c.png" media-type="image/png" properties="cover-image"/>""",
                spine))
            .Add("OEBPS/nav.xhtml", Xhtml(Nav))
            .Add("OEBPS/img/c.png", [1, 2, 3])
            .Add("OEBPS/title.xhtml", Xhtml("<h1>The Quiet River</h1><p>A novel.</p>", "epub:type=\"titlepage\""))
            .Add("OEBPS/copyright.xhtml", Xhtml("<p>Copyright 2026 Ann Writer.</p>"))
            .Add("OEBPS/part1.xhtml", Xhtml("<h1>Part One</h1>"))
            .Add("OEBPS/ch1.xhtml", Xhtml("""
                <h1>Chapter 1</h1>
                <p>The river<a epub:type="noteref" href="notes.xhtml#n1">1</a> ran   cold<sup><a href="#fn2">2</a></sup> that spring<span epub:type="pagebreak" id="p7" title="7"/>, and the mill [3] stood still.</p>
                <aside epub:type="footnote" id="fn2"><p>A footnote that is not read here.</p></aside>
                """))
            .Add("OEBPS/ch2.xhtml", Xhtml("""<section id="c2"><h1>Chapter 2</h1><p>Second.</p></section><section id="c3"><h1>Chapter 3</h1><p>Third.</p></section>"""))
            .Add("OEBPS/ch4a.xhtml", Xhtml("<h1>Chapter 4</h1><p>Begun here.</p>"))
            .Add("OEBPS/ch4b.xhtml", Xhtml("<p>Ended there.</p>"))
            .Add("OEBPS/notes.xhtml", Xhtml("""<section epub:type="endnotes"><h1>Notes</h1><ol><li epub:type="endnote" id="n1"><p>The note.</p></li></ol></section>"""))
            .Add("OEBPS/ack.xhtml", Xhtml("<h1>Acknowledgements</h1><p>Thanks to all.</p>"))
            .Build();

        var book = await EpubParsing.ParseAsync(epub, mediaType: null);

        book.Title.Should().Be("The Quiet River");
        book.Authors.Should().Equal("Ann Writer");
        book.Isbn13.Should().Be("9780306406157");
        book.Cover!.MediaType.Should().Be("image/png");
        book.Cover.Data.ToArray().Should().Equal(1, 2, 3);
        book.Chapters.Select(c => c.Title).Should().Equal("The Quiet River", "Copyright", "Part One", "Chapter 1", "Chapter 2", "Chapter 3", "Chapter 4", "Notes", "Acknowledgements");
        book.Chapters.Select(c => c.Number).Should().Equal(1, 2, 3, 4, 5, 6, 7, 8, 9);
        book.Chapters.Select(c => c.Level).Should().Equal(0, 0, 0, 1, 1, 1, 0, 0, 0);
        book.Chapters.Select(c => c.Kind).Should().Equal(
            ChapterKind.Front, ChapterKind.Front, ChapterKind.Body, ChapterKind.Body, ChapterKind.Body, ChapterKind.Body, ChapterKind.Body, ChapterKind.Back, ChapterKind.Back);
        book.Chapters[2].Paragraphs.Should().BeEmpty();
        book.Chapters[3].Paragraphs.Should().Equal("The river ran cold that spring, and the mill stood still.");
        book.Chapters[4].Paragraphs.Should().Equal("Second.");
        book.Chapters[5].Paragraphs.Should().Equal("Third.");
        book.Chapters[6].Paragraphs.Should().Equal("Begun here.", "Ended there.");
        book.Chapters[7].Paragraphs.Should().BeEmpty();
    }

    [Fact]
    public async Task Epub2_reads_the_ncx_guide_and_metadata()
    {
        var (manifest, spine) = Items("cover.html", "copyright.html", "ch1.html", "ch2.html", "about.html");
        var ncx = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE ncx PUBLIC "-//NISO//DTD ncx 2005-1//EN" "http://www.daisy.org/z3986/2005/ncx-2005-1.dtd">
            <ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>
              <navPoint id="a"><navLabel><text>Legal</text></navLabel><content src="copyright.html"/></navPoint>
              <navPoint id="b"><navLabel><text>Book One</text></navLabel><content src="ch1.html"/>
                <navPoint id="c"><navLabel><text>The Second</text></navLabel><content src="ch2.html"/></navPoint>
              </navPoint>
              <navPoint id="d"><navLabel><text>About the Author</text></navLabel><content src="about.html"/></navPoint>
            </navMap></ncx>
            """;
        var epub = new EpubBuilder().Standard(Package(
                """
                <dc:title>Old Format</dc:title><dc:creator opf:role="aut">B. Author</dc:creator><dc:creator opf:role="edt">An Editor</dc:creator>
                <dc:language>en-GB</dc:language><dc:identifier id="id">uuid:1234</dc:identifier><dc:identifier opf:scheme="ISBN">0-306-40615-2</dc:identifier>
                <dc:description>&lt;p&gt;A &lt;b&gt;short&lt;/b&gt; story.&lt;/p&gt;&lt;p&gt;Second line.&lt;/p&gt;</dc:description>
                <meta name="cover" content="cov"/>
                """,
                manifest + """<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/><item id="cov" href="cover.jpg" media-type="image/jpeg"/>""",
                spine, "2.0", "toc=\"ncx\"",
                """<guide><reference type="copyright-page" title="Copyright" href="copyright.html"/><reference type="text" title="Start" href="ch1.html"/></guide>"""))
            .Add("OEBPS/toc.ncx", ncx)
            .Add("OEBPS/cover.jpg", [9, 9])
            .Add("OEBPS/cover.html", Xhtml("<div><img src=\"cover.jpg\" alt=\"Cover\"/></div>"))
            .Add("OEBPS/copyright.html", Xhtml("<p>All rights reserved.</p>"))
            .Add("OEBPS/ch1.html", Xhtml("<h2>Book One</h2><p>One.</p>"))
            .Add("OEBPS/ch2.html", Xhtml("<h2>The Second</h2><p>Two.</p>"))
            .Add("OEBPS/about.html", Xhtml("<p>She lives by the sea.</p>"))
            .Build();

        var book = await EpubParsing.ParseAsync(epub);

        book.Authors.Should().Equal("B. Author");
        book.Language.Should().Be("en-GB");
        book.Identifiers.Should().Equal("uuid:1234", "0-306-40615-2");
        book.Isbn13.Should().Be("9780306406157");
        book.Description.Should().Be("A short story.\n\nSecond line.");
        book.Cover!.MediaType.Should().Be("image/jpeg");
        book.Chapters.Select(c => (c.Title, c.Level, c.Kind)).Should().Equal(
            ("Legal", 0, ChapterKind.Front), ("Book One", 0, ChapterKind.Body), ("The Second", 1, ChapterKind.Body), ("About the Author", 0, ChapterKind.Back));
        book.Chapters[1].Paragraphs.Should().Equal("One.");
    }

    [Fact]
    public async Task Without_nav_or_ncx_the_spine_gives_the_chapters_titled_by_their_first_heading()
    {
        var (manifest, spine) = Items("toc.xhtml", "a.xhtml", "b.xhtml", "index.xhtml");
        var epub = new EpubBuilder().Standard(Package("<dc:title>Spine</dc:title><dc:language>en</dc:language>", manifest, spine))
            .Add("OEBPS/toc.xhtml", Xhtml("<h1>Contents</h1><p>A</p><p>B</p>"))
            .Add("OEBPS/a.xhtml", Xhtml("<h1>Arrival</h1><p>We came.</p>"))
            .Add("OEBPS/b.xhtml", Xhtml("<h1>Départ</h1><p>Nous partons.</p>", "xml:lang=\"fr\""))
            .Add("OEBPS/index.xhtml", Xhtml("<h1>Index</h1><p>river, 3</p>"))
            .Build();

        var book = await EpubParsing.ParseAsync(epub);

        book.Chapters.Select(c => (c.Title, c.Kind, c.Language)).Should().Equal(
            ("Contents", ChapterKind.Front, (string?)null), ("Arrival", ChapterKind.Body, null), ("Départ", ChapterKind.Body, "fr"), ("Index", ChapterKind.Back, null));
        book.Chapters[1].Paragraphs.Should().Equal("We came.");
    }

    [Fact]
    public async Task Unmarked_chapters_before_the_bodymatter_landmark_are_front_matter()
    {
        var (manifest, spine) = Items("m.xhtml", "ch1.xhtml");
        var nav = """
            <nav epub:type="toc"><ol><li><a href="m.xhtml">For M.</a></li><li><a href="ch1.xhtml">Rain</a></li></ol></nav>
            <nav epub:type="landmarks"><ol><li><a epub:type="bodymatter" href="ch1.xhtml">Start</a></li></ol></nav>
            """;
        var epub = new EpubBuilder().Standard(Package("<dc:title>L</dc:title><dc:language>en</dc:language>",
                manifest + """<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>""", spine))
            .Add("OEBPS/nav.xhtml", Xhtml(nav))
            .Add("OEBPS/m.xhtml", Xhtml("<p>For my mother, who liked rain.</p>"))
            .Add("OEBPS/ch1.xhtml", Xhtml("<h1>Rain</h1><p>It rained.</p>"))
            .Build();

        var book = await EpubParsing.ParseAsync(epub);

        book.Chapters.Select(c => (c.Title, c.Kind)).Should().Equal(("For M.", ChapterKind.Front), ("Rain", ChapterKind.Body));
        book.BodyWords.Should().Be(2);
    }

    [Fact]
    public void Sniffing_is_certain_only_for_a_zip_starting_with_the_epub_mimetype()
    {
        var reader = new EpubReader();

        reader.Sniff(new EpubBuilder().Build()).Should().Be(DocumentMatch.Certain);
        reader.Sniff(new EpubBuilder(withMimetype: false).Add("a.txt", "x").Build()).Should().Be(DocumentMatch.Maybe);
        reader.Sniff("%PDF-1.7"u8).Should().Be(DocumentMatch.No);
    }

    [Theory]
    [InlineData("urn:isbn:0306406152", "9780306406157")]
    [InlineData("978-0-306-40615-7", "9780306406157")]
    [InlineData("0-8044-2957-X", "9780804429573")]
    [InlineData("978-0-306-40615-8", null)]
    [InlineData("0306406153", null)]
    [InlineData("urn:uuid:0306406152", null)]
    public void Isbns_are_checked_and_converted(string identifier, string? isbn13)
    {
        Isbn.ToIsbn13(identifier).Should().Be(isbn13);
    }

    [Fact]
    public async Task Font_obfuscation_in_encryption_xml_is_not_drm()
    {
        var epub = Minimal().Add("META-INF/encryption.xml", """
            <encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
              <enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/><enc:CipherData><enc:CipherReference URI="OEBPS/font.otf"/></enc:CipherData></enc:EncryptedData>
            </encryption>
            """).Build();

        var book = await EpubParsing.ParseAsync(epub);

        book.Chapters.Should().ContainSingle().Which.Paragraphs.Should().Equal("Hello.");
    }

    internal static EpubBuilder Minimal(bool withContainer = true)
    {
        var (manifest, spine) = Items("a.xhtml");
        var builder = new EpubBuilder();
        if (withContainer)
        {
            builder.Standard(Package("<dc:title>Min</dc:title>", manifest, spine));
        }

        return builder.Add("OEBPS/a.xhtml", Xhtml("<h1>A</h1><p>Hello.</p>"));
    }

    internal static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
