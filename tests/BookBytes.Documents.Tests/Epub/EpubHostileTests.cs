using static BookBytes.Documents.Tests.Epub.EpubBuilder;

namespace BookBytes.Documents.Tests.Epub;

public sealed class EpubHostileTests
{
    private const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE package [
          <!ENTITY a "aaaaaaaaaa">
          <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
          <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
          <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
          <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
          <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
          <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
          <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
        ]>
        <package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&h;</dc:title></metadata>
        <manifest><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="a"/></spine></package>
        """;

    [Fact]
    public async Task Bytes_that_are_not_a_zip_are_invalid()
    {
        await Refused(Utf8("this is not a zip at all"), ErrorCodes.DocumentInvalid, "not a application/epub+zip");
    }

    [Fact]
    public async Task A_truncated_zip_is_invalid()
    {
        var whole = EpubReaderTests.Minimal().Add("OEBPS/padding.xhtml", new string('x', 5000)).Build();

        await Refused(whole[..(whole.Length / 2)], ErrorCodes.DocumentInvalid, "zip");
    }

    [Fact]
    public async Task A_missing_container_or_package_document_is_named()
    {
        await Refused(EpubReaderTests.Minimal(withContainer: false).Build(), ErrorCodes.DocumentInvalid, "META-INF/container.xml");
        await Refused(EpubReaderTests.Minimal(withContainer: false).Add("META-INF/container.xml", Container()).Build(), ErrorCodes.DocumentInvalid, "package document");
    }

    [Fact]
    public async Task Encryption_xml_listing_encrypted_content_is_drm()
    {
        var epub = EpubReaderTests.Minimal().Add("META-INF/encryption.xml", """
            <encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
              <enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><enc:CipherData><enc:CipherReference URI="OEBPS/a.xhtml"/></enc:CipherData></enc:EncryptedData>
            </encryption>
            """).Build();

        await Refused(epub, ErrorCodes.DocumentEncrypted, "encrypted");
    }

    [Fact]
    public async Task A_zip_bomb_entry_is_too_large_without_being_inflated()
    {
        var (manifest, spine) = Items("a.xhtml", "bomb.xhtml");
        var withBombInSpine = new EpubBuilder().Standard(Package("<dc:title>Bomb</dc:title>", manifest, spine)).Add("OEBPS/a.xhtml", Xhtml("<p>Hi.</p>"))
            .AddStreamed("OEBPS/bomb.xhtml", s =>
            {
                var zeros = new byte[1024 * 1024];
                for (var i = 0; i < 200; i++)
                {
                    s.Write(zeros);
                }
            }).Build();

        withBombInSpine.Length.Should().BeLessThan(2 * 1024 * 1024);
        await Refused(withBombInSpine, ErrorCodes.DocumentTooLarge, "ratio");
    }

    [Fact]
    public async Task An_entry_whose_header_understates_its_size_is_not_inflated_past_it()
    {
        var (manifest, spine) = Items("a.xhtml", "liar.xhtml");
        var epub = new EpubBuilder().Standard(Package("<dc:title>Liar</dc:title>", manifest, spine)).Add("OEBPS/a.xhtml", Xhtml("<p>Hi.</p>"))
            .AddStreamed("OEBPS/liar.xhtml", s =>
            {
                var zeros = new byte[1024 * 1024];
                for (var i = 0; i < 20; i++)
                {
                    s.Write(zeros);
                }
            }).Build();
        Understate(epub, "OEBPS/liar.xhtml", 100);


        var book = await EpubParsing.ParseAsync(epub, o => o.MaxUncompressedBytes = 64 * 1024);

        book.Chapters.Should().ContainSingle().Which.Paragraphs.Should().Equal("Hi.");
    }

    [Fact]
    public async Task A_cancelled_read_stops()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var act = () => EpubParsing.Parser().ParseAsync(EpubReaderTests.Minimal().Build(), "application/epub+zip", cancelled.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Inflated_bytes_over_the_total_limit_are_too_large()
    {
        var (manifest, spine) = Items("a.xhtml", "b.xhtml");
        var text = Xhtml(string.Concat(Enumerable.Range(0, 3000).Select(i => $"<p>Sentence {i} of a long and varied chapter.</p>")));
        var epub = new EpubBuilder().Standard(Package("<dc:title>Big</dc:title>", manifest, spine)).Add("OEBPS/a.xhtml", text).Add("OEBPS/b.xhtml", text).Build();

        await Refused(epub, ErrorCodes.DocumentTooLarge, "inflate", o => o.MaxUncompressedBytes = 200_000);
    }

    [Fact]
    public async Task More_entries_than_the_limit_are_too_large()
    {
        var builder = EpubReaderTests.Minimal();
        for (var i = 0; i < 150; i++)
        {
            builder.Add($"OEBPS/extra{i}.txt", "x");
        }

        await Refused(builder.Build(), ErrorCodes.DocumentTooLarge, "entries", o => o.MaxEntries = 100);
    }

    [Fact]
    public async Task A_central_directory_that_understates_its_entry_count_is_still_too_large()
    {
        var builder = EpubReaderTests.Minimal();
        for (var i = 0; i < 150; i++)
        {
            builder.Add($"OEBPS/extra{i}.txt", "x");
        }

        var zip = builder.Build();
        var end = zip.AsSpan().LastIndexOf("PK\u0005\u0006"u8);
        zip[end + 8] = zip[end + 10] = 5;
        zip[end + 9] = zip[end + 11] = 0;

        await Refused(zip, ErrorCodes.DocumentTooLarge, "room for", o => o.MaxEntries = 100);
    }

    [Fact]
    public async Task A_package_document_nested_beyond_any_book_is_refused_without_overflowing_the_stack()
    {
        var nested = string.Concat(Enumerable.Repeat("<x>", 100_000)) + string.Concat(Enumerable.Repeat("</x>", 100_000));
        var (manifest, spine) = Items("a.xhtml");
        var epub = new EpubBuilder().Standard(Package($"<dc:title>{nested}</dc:title>", manifest, spine)).Add("OEBPS/a.xhtml", Xhtml("<p>Hi.</p>")).Build();

        await Refused(epub, ErrorCodes.DocumentInvalid, "levels deep", o => o.MaxCompressionRatio = 100_000);
    }

    [Fact]
    public async Task More_chapters_than_the_limit_are_too_large()
    {
        var files = Enumerable.Range(0, 30).Select(i => $"c{i}.xhtml").ToArray();
        var (manifest, spine) = Items(files);
        var builder = new EpubBuilder().Standard(Package("<dc:title>Many</dc:title>", manifest, spine));
        foreach (var file in files)
        {
            builder.Add("OEBPS/" + file, Xhtml("<p>Text.</p>"));
        }

        await Refused(builder.Build(), ErrorCodes.DocumentTooLarge, "chapters", o => o.MaxChapters = 20);
    }

    [Fact]
    public async Task Content_nested_past_any_book_is_refused_before_parsing()
    {
        var (manifest, spine) = Items("a.xhtml");
        var deep = string.Concat(Enumerable.Range(0, 200_000).Select(i => $"<div id=\"d{i * 7919 % 1_000_003}\">")) + "x" + string.Concat(Enumerable.Repeat("</div>", 200_000));
        var epub = new EpubBuilder().Standard(Package("<dc:title>Deep</dc:title>", manifest, spine)).Add("OEBPS/a.xhtml", Xhtml(deep)).Build();

        await Refused(epub, ErrorCodes.DocumentInvalid, "nests");
    }

    [Fact]
    public async Task A_package_document_with_a_dtd_is_refused_without_expanding_it()
    {
        var epub = new EpubBuilder().Add("META-INF/container.xml", Container()).Add("OEBPS/content.opf", BillionLaughs).Add("OEBPS/a.xhtml", Xhtml("<p>Hi.</p>")).Build();

        await Refused(epub, ErrorCodes.DocumentInvalid, "DTD");
    }

    [Fact]
    public async Task An_external_entity_in_the_container_is_refused()
    {
        var container = """
            <?xml version="1.0"?>
            <!DOCTYPE container [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="&xxe;" media-type="application/oebps-package+xml"/></rootfiles></container>
            """;
        var epub = new EpubBuilder().Add("META-INF/container.xml", container).Build();

        await Refused(epub, ErrorCodes.DocumentInvalid, "DTD");
    }

    [Fact]
    public async Task An_ncx_with_an_internal_subset_is_refused()
    {
        var (manifest, spine) = Items("a.xhtml");
        var ncx = """
            <?xml version="1.0"?>
            <!DOCTYPE ncx PUBLIC "-//NISO//DTD ncx 2005-1//EN" "http://www.daisy.org/z3986/2005/ncx-2005-1.dtd" [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap><navPoint><navLabel><text>&x;</text></navLabel><content src="a.xhtml"/></navPoint></navMap></ncx>
            """;
        var epub = new EpubBuilder().Standard(Package("<dc:title>N</dc:title>", manifest + """<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>""", spine, "2.0", "toc=\"ncx\""))
            .Add("OEBPS/toc.ncx", ncx).Add("OEBPS/a.xhtml", Xhtml("<p>Hi.</p>")).Build();

        await Refused(epub, ErrorCodes.DocumentInvalid, "DTD");
    }

    [Fact]
    public async Task Entities_declared_in_an_xhtml_doctype_are_not_expanded()
    {
        var (manifest, spine) = Items("a.xhtml");
        var xhtml = """<!DOCTYPE html [<!ENTITY a "aaaaaaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><html xmlns="http://www.w3.org/1999/xhtml"><body><p>Say &b; now.</p></body></html>""";
        var epub = new EpubBuilder().Standard(Package("<dc:title>E</dc:title>", manifest, spine)).Add("OEBPS/a.xhtml", xhtml).Build();

        var book = await EpubParsing.ParseAsync(epub);

        book.Chapters.Single().Paragraphs.Single().Should().NotContain("aaaa");
    }

    [Fact]
    public async Task References_leaving_the_archive_root_are_ignored_and_traversal_names_are_only_names()
    {
        var (manifest, spine) = Items("a.xhtml");
        var opf = Package("<dc:title>T</dc:title>",
            manifest + """<item id="x" href="../../../etc/passwd" media-type="application/xhtml+xml"/><item id="y" href="/etc/hosts" media-type="application/xhtml+xml"/>""",
            """<itemref idref="x"/><itemref idref="y"/>""" + spine);
        var epub = new EpubBuilder().Standard(opf).Add("../../evil.xhtml", Xhtml("<p>Evil.</p>")).Add("OEBPS/a.xhtml", Xhtml("<h1>A</h1><p>Safe.</p>")).Build();

        var book = await EpubParsing.ParseAsync(epub);

        book.Chapters.Should().ContainSingle().Which.Paragraphs.Should().Equal("Safe.");
        File.Exists(Path.Combine(Path.GetTempPath(), "..", "evil.xhtml")).Should().BeFalse();
    }

    private static async Task Refused(byte[] epub, string code, string message, Action<DocumentOptions>? configure = null)
    {

        var act = () => EpubParsing.ParseAsync(epub, configure);

        var thrown = (await act.Should().ThrowAsync<DocumentException>()).Which;
        thrown.ErrorCode.Should().Be(code);
        thrown.Message.Should().Contain(message);
    }

    // Rewrites the uncompressed size an entry's local and central headers declare, as a hostile zip would.
    private static void Understate(byte[] zip, string name, uint size)
    {
        var nameBytes = System.Text.Encoding.ASCII.GetBytes(name);
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4 && zip.AsSpan(i + 30, nameBytes.Length).SequenceEqual(nameBytes))
            {
                BitConverter.TryWriteBytes(zip.AsSpan(i + 22, 4), size);
            }
            else if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2 && zip.AsSpan(i + 46, Math.Min(nameBytes.Length, zip.Length - i - 46)).SequenceEqual(nameBytes))
            {
                BitConverter.TryWriteBytes(zip.AsSpan(i + 24, 4), size);
            }
        }
    }

    private static byte[] Utf8(string s) => EpubReaderTests.Utf8(s);
}
