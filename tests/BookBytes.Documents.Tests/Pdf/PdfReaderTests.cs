using System.Text;
using BookBytes.Documents.Pdf;
using Microsoft.Extensions.Options;

namespace BookBytes.Documents.Tests.Pdf;

public sealed class PdfReaderTests
{
    [Fact]
    public async Task Chapters_come_from_the_bookmarks_with_nesting_as_level()
    {
        var pdf = new PdfBookBuilder { Bookmarks = true, HeadingSize = 11 }
            .Section("Contents", "One two three.")
            .Section("Part One", GeneratedText.Paragraph(1, 60))
            .Section("A Smaller Section", 1, false, GeneratedText.Paragraph(2, 60))
            .Section("Part Two", GeneratedText.Paragraph(3, 60))
            .Section("Acknowledgements", "Thanks to all.")
            .Build();

        var book = await Parse(pdf);

        book.Chapters.Select(c => (c.Title, c.Level, c.Kind)).Should().Equal(
            ("Contents", 0, ChapterKind.Front),
            ("Part One", 0, ChapterKind.Body),
            ("A Smaller Section", 1, ChapterKind.Body),
            ("Part Two", 0, ChapterKind.Body),
            ("Acknowledgements", 0, ChapterKind.Back));
        book.Chapters[2].Paragraphs.Should().Equal(GeneratedText.Paragraph(2, 60));
        book.Chapters[4].Paragraphs.Should().Equal("Thanks to all.");
    }

    [Fact]
    public async Task Without_bookmarks_chapters_come_from_lines_set_larger_than_the_body()
    {
        var pdf = new PdfBookBuilder()
            .Section("The First Chapter", GeneratedText.Paragraph(1, 120), GeneratedText.Paragraph(2, 40))
            .Section("The Second Chapter", GeneratedText.Paragraph(3, 200))
            .Section("Index", "Words, 3.")
            .Build();

        var book = await Parse(pdf);

        book.Chapters.Select(c => c.Title).Should().Equal("The First Chapter", "The Second Chapter", "Index");
        book.Chapters[0].Paragraphs.Should().Equal(GeneratedText.Paragraph(1, 120), GeneratedText.Paragraph(2, 40));
        book.Chapters[2].Kind.Should().Be(ChapterKind.Back);
        book.Title.Should().Be("The First Chapter");
    }

    [Fact]
    public async Task Without_bookmarks_or_headings_chapters_are_ranges_of_ten_pages()
    {
        var builder = new PdfBookBuilder { HeadingSize = 11 };
        for (var i = 0; i < 25; i++)
        {
            builder.Section(null, GeneratedText.Paragraph(i, 100));
        }

        var book = await Parse(builder.Build());

        book.Chapters.Select(c => c.Title).Should().Equal("Pages 1–10", "Pages 11–20", "Pages 21–25");
        book.Chapters[1].Paragraphs.Should().HaveCount(10).And.StartWith(GeneratedText.Paragraph(10, 100));
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("Page {0}")]
    [InlineData("{0} of {1}")]
    public async Task Running_heads_and_page_numbers_are_removed_and_broken_words_joined(string pageNumbers)
    {
        var builder = new PdfBookBuilder { RunningHead = "A Book Made For Tests", PageNumbers = pageNumbers };
        builder.Section("Chapter One",
            "The infor-\nmation in this well-known place [12] was kept\nin good order by the keepers of the\nnorth-\nern gate, who were Anglo-\nSaxon.",
            GeneratedText.Paragraph(5, 30));
        for (var i = 0; i < 4; i++)
        {
            builder.Section($"Chapter {i + 2}", GeneratedText.Paragraph(10 + i, 80));
        }

        var book = await Parse(builder.Build());

        book.Chapters[0].Paragraphs.Should().Equal(
            "The information in this well-known place was kept in good order by the keepers of the northern gate, who were Anglo-Saxon.",
            GeneratedText.Paragraph(5, 30));
        book.Chapters.SelectMany(c => c.Paragraphs).Should().NotContain(p => p.Contains("Made For Tests", StringComparison.Ordinal));
        book.Chapters.Should().HaveCount(5);
    }

    [Fact]
    public async Task A_paragraph_runs_on_over_a_page_break()
    {
        var long1 = GeneratedText.Paragraph(7, 800);
        var pdf = new PdfBookBuilder { PageNumbers = "{0}" }.Section("Long", long1).Section("Short", "End.").Build();

        var book = await Parse(pdf);

        book.Chapters[0].Paragraphs.Should().Equal(long1);
    }

    [Fact]
    public async Task Metadata_comes_from_the_document_information()
    {
        var pdf = new PdfBookBuilder { Title = "Kalo Miren", Author = "Ann Writer; Bo Other and Cy Third", Subject = "A tale of invented words." }
            .Section("One", GeneratedText.Paragraph(1, 50))
            .Section("Two", GeneratedText.Paragraph(2, 50))
            .Build();

        var book = await Parse(pdf);

        book.Title.Should().Be("Kalo Miren");
        book.Authors.Should().Equal("Ann Writer", "Bo Other", "Cy Third");
        book.Description.Should().Be("A tale of invented words.");
        book.Language.Should().Be("und");
    }

    [Fact]
    public async Task Language_comes_from_the_catalog_and_junk_before_the_header_is_tolerated()
    {
        var pdf = HandMadePdf.OnePage("Bonjour le monde.", "/Lang (fr-CA)");
        var junk = Encoding.ASCII.GetBytes("junk before the header\n").Concat(pdf).ToArray();

        var book = await Parse(junk, "application/octet-stream");

        book.Language.Should().Be("fr-CA");
        book.Chapters.Should().ContainSingle().Which.Paragraphs.Should().Equal("Bonjour le monde.");
    }

    [Fact]
    public void Sniffing_is_certain_of_the_signature_and_refuses_anything_else()
    {
        var reader = new PdfReader();

        reader.Sniff("%PDF-1.7\n"u8).Should().Be(DocumentMatch.Certain);
        reader.Sniff("\r\n  %PDF-1.4"u8).Should().Be(DocumentMatch.Certain);
        reader.Sniff("<html>%PDF-"u8.ToArray().Prepend((byte)' ').ToArray()).Should().Be(DocumentMatch.Certain);
        reader.Sniff(new byte[2000].Concat("%PDF-"u8.ToArray()).ToArray()).Should().Be(DocumentMatch.No);
        reader.Sniff("PK\u0003\u0004"u8).Should().Be(DocumentMatch.No);
    }

    [Fact]
    public void Cleaning_removes_soft_hyphens_note_markers_and_extra_whitespace()
    {
        PdfParagraphs.Clean("in\u00ADfor\u00ADmation  [3]  here [12, 14].\t Done").Should().Be("information here. Done");
    }

    [Fact]
    public async Task Not_a_pdf_is_invalid()
    {
        var thrown = await Refused(Encoding.ASCII.GetBytes("just some words, not a PDF"), "application/pdf");

        thrown.ErrorCode.Should().Be(ErrorCodes.DocumentInvalid);
        thrown.Message.Should().Contain("application/pdf");
    }

    [Fact]
    public async Task A_truncated_pdf_is_invalid()
    {
        var pdf = new PdfBookBuilder().Section("One", GeneratedText.Paragraph(1, 500)).Section("Two", GeneratedText.Paragraph(2, 500)).Build();

        var thrown = await Refused(pdf[..(pdf.Length / 2)]);

        thrown.ErrorCode.Should().Be(ErrorCodes.DocumentInvalid);
        thrown.Message.Should().Contain("truncated");
    }

    [Fact]
    public async Task A_pdf_with_a_broken_structure_is_invalid()
    {
        var thrown = await Refused(Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage\n%%EOF\n"));

        thrown.ErrorCode.Should().Be(ErrorCodes.DocumentInvalid);
    }

    [Fact]
    public async Task An_encrypted_pdf_is_refused_as_encrypted()
    {
        var hex = new string('A', 64);
        var pdf = HandMadePdf.OnePage(
            "Secret.",
            trailerExtras: $"/Encrypt 6 0 R /ID [<{new string('1', 32)}> <{new string('1', 32)}>]",
            more: $"<< /Filter /Standard /V 1 /R 2 /Length 40 /O <{hex}> /U <{hex}> /P -4 >>");

        var thrown = await Refused(pdf);

        thrown.ErrorCode.Should().Be(ErrorCodes.DocumentEncrypted);
        thrown.Message.Should().Contain("encrypted");
    }

    [Fact]
    public async Task A_pages_tree_that_contains_itself_is_refused_quickly()
    {
        var pdf = HandMadePdf.Build(
            string.Empty,
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");

        var thrown = await Refused(pdf);

        thrown.ErrorCode.Should().Be(ErrorCodes.DocumentInvalid);
        thrown.Message.Should().Contain("The PDF");
    }

    [Fact]
    public async Task An_object_that_refers_to_itself_is_refused_quickly()
    {
        var pdf = HandMadePdf.Build(
            string.Empty,
            "<< /Type /Catalog /Pages 2 0 R >>",
            "2 0 R");

        var thrown = await Refused(pdf);

        thrown.ErrorCode.Should().Be(ErrorCodes.DocumentInvalid);
        thrown.Message.Should().Contain("structure could not be read");
    }

    [Theory]
    [InlineData(1, 300)]
    [InlineData(2, 0)]
    public async Task A_stream_that_inflates_without_bound_is_too_large_before_PdfPig_reads_it(int layers, int megabytes)
    {
        // One layer: 300 MiB of zeros in about 300 KiB. Two layers: a small stream whose inflated form is itself a bomb.
        var data = Deflate(layers == 1 ? Zeros(megabytes) : Deflate(Zeros(300)));
        var filters = layers == 1 ? "/FlateDecode" : "[/FlateDecode /FlateDecode]";
        var pdf = HandMadePdf.Build(
            string.Empty,
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            $"<< /Length {data.Length} /Filter {filters} >>\nstream\n{System.Text.Encoding.Latin1.GetString(data)}\nendstream");

        var thrown = await Refused(pdf);

        thrown.ErrorCode.Should().Be(ErrorCodes.DocumentTooLarge);
        thrown.Message.Should().Contain("inflate");
    }

    [Fact]
    public async Task More_pages_than_the_limit_allows_is_too_large()
    {
        var builder = new PdfBookBuilder();
        for (var i = 0; i < 11; i++)
        {
            builder.Section(null, "Page text.");
        }

        var thrown = await Refused(builder.Build(), configure: o => o.MaxChapters = 2);

        thrown.ErrorCode.Should().Be(ErrorCodes.DocumentTooLarge);
        thrown.Message.Should().Contain("11 pages").And.Contain("at most 10");
    }

    [Fact]
    public async Task More_bookmarks_than_the_chapter_limit_is_too_large()
    {
        var builder = new PdfBookBuilder { Bookmarks = true };
        for (var i = 0; i < 5; i++)
        {
            builder.Section($"Chapter {i + 1}", GeneratedText.Paragraph(i, 20));
        }

        var thrown = await Refused(builder.Build(), configure: o => o.MaxChapters = 3);

        thrown.ErrorCode.Should().Be(ErrorCodes.DocumentTooLarge);
        thrown.Message.Should().Contain("outline");
    }

    [Fact]
    public async Task A_pdf_without_text_is_refused_as_having_nothing_to_read()
    {
        var pdf = HandMadePdf.OnePage(string.Empty);

        var thrown = await Refused(pdf);

        thrown.ErrorCode.Should().Be(ErrorCodes.DocumentInvalid);
        thrown.Message.Should().Contain("no text");
    }

    [Fact]
    public async Task Cancellation_stops_reading()
    {
        var pdf = new PdfBookBuilder().Section("One", GeneratedText.Paragraph(1, 100)).Build();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var act = () => new PdfReader().ReadAsync(new DocumentInput(pdf, "application/pdf", DocumentLimits.Default), cancelled.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    internal static BookDocumentParser Parser(Action<DocumentOptions>? configure = null)
    {
        var options = new DocumentOptions { ParseTimeout = TimeSpan.FromSeconds(20) };
        configure?.Invoke(options);
        return new BookDocumentParser(BuiltInReaders.All.Select(t => (IBookDocumentReader)Activator.CreateInstance(t)!), Options.Create(options));
    }

    private static Task<BookDocument> Parse(byte[] pdf, string mediaType = "application/pdf") => Parser().ParseAsync(pdf, mediaType);

    private static async Task<DocumentException> Refused(byte[] pdf, string? mediaType = "application/pdf", Action<DocumentOptions>? configure = null)
    {
        var act = () => Parser(configure).ParseAsync(pdf, mediaType);

        var thrown = (await act.Should().ThrowAsync<DocumentException>()).Which;
        return thrown;
    }

    private static ReadOnlyMemory<byte> Zeros(int megabytes) => new byte[megabytes * 1024 * 1024];

    private static byte[] Deflate(ReadOnlyMemory<byte> data)
    {
        using var output = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(data.Span);
        }

        return output.ToArray();
    }
}
