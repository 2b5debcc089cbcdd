using System.Text;
using BookBytes.Documents.PlainText;
using Microsoft.Extensions.Options;

namespace BookBytes.Documents.Tests.PlainText;

public sealed class PlainTextReaderTests
{
    private const string Gutenberg = """
        The Project Gutenberg eBook of The Quiet Harbour

        This ebook is for the use of anyone anywhere in the United States and
        most other parts of the world at no cost and with almost no restrictions.

        Title: The Quiet Harbour
               A Tale of the Sea

        Author: Mary Ellen Stone

        Release date: March 1, 2004 [eBook #11523]

        Language: English

        *** START OF THE PROJECT GUTENBERG EBOOK THE QUIET HARBOUR ***

        Produced by Volunteers of the Distributed Proofreading Team




        THE QUIET HARBOUR

        By Mary Ellen Stone


        CONTENTS

        PART ONE

        CHAPTER I. THE BEGINNING

        CHAPTER II. THE STORM

        PART TWO

        CHAPTER III. THE RETURN


        PART ONE

        THE VILLAGE


        CHAPTER I.

        THE BEGINNING

        The harbour was quiet that morning, and the boats lay still upon the
        water as if they had forgotten how to move. Old Tom watched them from
        the sea-wall, his pipe unlit.[3] He had seen a hundred such mornings,
        and not one of them had ended well for the impa-
        tient.

        _Nothing_ stirred.

        [3] Tom never lit his pipe before noon.


        CHAPTER II.
        THE STORM

        By evening the wind had come round to the east.


        PART TWO


        CHAPTER III. The Return

        They came back in spring.

        End of the Project Gutenberg EBook of The Quiet Harbour

        *** END OF THE PROJECT GUTENBERG EBOOK THE QUIET HARBOUR ***

        Updated editions will replace the previous one--the old editions will
        be renamed.

        Section 1. General Terms of Use and Redistributing Project Gutenberg-tm
        electronic works
        """;

    [Fact]
    public async Task A_Gutenberg_header_is_read_for_metadata_and_removed_and_its_licence_is_back_matter()
    {
        var book = await Read(Gutenberg);

        book.Title.Should().Be("The Quiet Harbour A Tale of the Sea");
        book.Authors.Should().Equal("Mary Ellen Stone");
        book.Language.Should().Be("en");
        book.Chapters.SelectMany(c => c.Paragraphs).Should().NotContain(p => p.Contains("START OF", StringComparison.Ordinal) || p.Contains("Produced by", StringComparison.Ordinal) || p.Contains("End of the Project", StringComparison.Ordinal));
        var licence = book.Chapters[^1];
        licence.Title.Should().Be("The Project Gutenberg License");
        licence.Kind.Should().Be(ChapterKind.Back);
        licence.Paragraphs[0].Should().Be("Updated editions will replace the previous one--the old editions will be renamed.");
    }

    [Fact]
    public async Task Parts_and_chapters_with_roman_numerals_nest_and_subtitles_join_their_headings()
    {
        var book = await Read(Gutenberg);

        book.Chapters.Select(c => (c.Title, c.Level, c.Kind)).Should().Equal(
            ("Title Page", 0, ChapterKind.Front),
            ("Contents", 0, ChapterKind.Front),
            ("Part One: The Village", 0, ChapterKind.Body),
            ("Chapter I. The Beginning", 1, ChapterKind.Body),
            ("Chapter II. The Storm", 1, ChapterKind.Body),
            ("Part Two", 0, ChapterKind.Body),
            ("Chapter III. The Return", 1, ChapterKind.Body),
            ("Notes", 0, ChapterKind.Back),
            ("The Project Gutenberg License", 0, ChapterKind.Back));
        book.Chapters[0].Paragraphs.Should().Equal("THE QUIET HARBOUR", "By Mary Ellen Stone");
        book.Chapters[1].Paragraphs.Should().Equal("PART ONE", "CHAPTER I. THE BEGINNING", "CHAPTER II. THE STORM", "PART TWO", "CHAPTER III. THE RETURN");
        book.Chapters.Select(c => c.Number).Should().Equal(1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    [Fact]
    public async Task Wrapped_lines_join_into_a_paragraph_without_note_markers_and_notes_go_to_the_back()
    {
        var book = await Read(Gutenberg);

        var chapter = book.Chapters.Single(c => c.Title == "Chapter I. The Beginning");
        chapter.Paragraphs.Should().Equal(
            "The harbour was quiet that morning, and the boats lay still upon the water as if they had forgotten how to move. Old Tom watched them from the sea-wall, his pipe unlit. He had seen a hundred such mornings, and not one of them had ended well for the impatient.",
            "Nothing stirred.");
        book.Chapters.Single(c => c.Title == "Notes").Paragraphs.Should().Equal("Tom never lit his pipe before noon.");
    }

    [Fact]
    public async Task The_older_small_print_header_and_closing_line_are_removed_too()
    {
        var text = """
            The Project Gutenberg Etext of Old Tales

            **Welcome To The World of Free Plain Vanilla Electronic Texts**

            *END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*

            OLD TALES

            CHAPTER I

            Once there was a miller.

            End of Project Gutenberg's Etext of Old Tales
            """;

        var book = await Read(text);

        book.Title.Should().Be("Old Tales");
        book.Chapters.Select(c => c.Title).Should().Equal("Title Page", "Chapter I");
        book.Chapters[1].Paragraphs.Should().Equal("Once there was a miller.");
        book.Chapters.SelectMany(c => c.Paragraphs).Should().NotContain(p => p.Contains("Gutenberg", StringComparison.Ordinal) || p.Contains("SMALL PRINT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_untyped_text_upload_is_read_as_plain_text()
    {
        var book = await Parser().ParseAsync(Encoding.UTF8.GetBytes("Jottings\n\nA <p> is not a page.\n"), null);

        book.Chapters.Should().ContainSingle().Which.Paragraphs.Should().Equal("Jottings", "A <p> is not a page.");
    }

    [Theory]
    [InlineData("Chapter 12", "Chapter 12")]
    [InlineData("Chapter Twelve", "Chapter Twelve")]
    [InlineData("CHAPTER TWENTY-ONE", "Chapter Twenty-One")]
    [InlineData("BOOK III", "Book III")]
    [InlineData("BOOK THE FIRST", "Book the First")]
    [InlineData("Part 1: The Beginning", "Part 1: The Beginning")]
    [InlineData("CHAPTER IV.—A CHANGE OF AIR", "Chapter IV. A Change of Air")]
    [InlineData("XIV.", "XIV")]
    public async Task Heading_lines_of_many_forms_are_recognised(string heading, string title)
    {
        var book = await Read($"A Title\n\n{heading}\n\nIt was late, and the lamps were lit along the whole street.\n");

        book.Chapters.Select(c => c.Title).Should().Equal("Title Page", title);
        book.Chapters[1].Paragraphs.Should().Equal("It was late, and the lamps were lit along the whole street.");
    }

    [Fact]
    public async Task Capital_lines_are_headings_in_a_text_without_numbered_ones()
    {
        var book = await Read("My Essays\n\nON WALKING\n\nWalking is good.\nIt clears the head.\n\nON READING\n\nReading is better.\n\nTHE END\n");

        book.Title.Should().Be("My Essays");
        book.Chapters.Select(c => c.Title).Should().Equal("Title Page", "On Walking", "On Reading");
        book.Chapters[1].Paragraphs.Should().Equal("Walking is good. It clears the head.");
    }

    [Fact]
    public async Task A_text_without_headings_is_cut_into_parts_at_paragraph_ends()
    {
        var paragraph = string.Join(' ', Enumerable.Repeat("word", 99)) + " end.";
        var text = "untitled musings\n\n" + string.Join("\n\n", Enumerable.Repeat(paragraph, 100));

        var book = await Read(text);

        book.Title.Should().Be("untitled musings");
        book.Chapters.Select(c => c.Title).Should().Equal("Part 1", "Part 2", "Part 3");
        book.Chapters.Select(c => c.Words).Should().Equal(4002, 4000, 2000);
        book.Chapters.Should().OnlyContain(c => c.Paragraphs.All(p => p == paragraph || p == "untitled musings"));
    }

    [Fact]
    public async Task A_short_text_without_headings_is_one_chapter_named_after_its_first_line()
    {
        var book = await Read("\uFEFFA Note\r\n\r\nThis is all there is.\r\n");

        book.Title.Should().Be("A Note");
        book.Chapters.Should().ContainSingle().Which.Paragraphs.Should().Equal("A Note", "This is all there is.");
    }

    [Fact]
    public void Sniffing_tells_text_from_binary()
    {
        var reader = new PlainTextReader();

        reader.Sniff("plain words, café"u8).Should().Be(DocumentMatch.Maybe);
        reader.Sniff([0xEF, 0xBB, 0xBF, (byte)'h', (byte)'i']).Should().Be(DocumentMatch.Maybe);
        reader.Sniff(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("hi")).ToArray()).Should().Be(DocumentMatch.Maybe);
        reader.Sniff([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]).Should().Be(DocumentMatch.No);
        reader.Sniff(Enumerable.Range(0, 253).Select(i => (byte)(253 - i)).ToArray()).Should().Be(DocumentMatch.No);
    }

    [Fact]
    public async Task UTF16_text_with_a_byte_order_mark_is_read()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("Title\n\nCHAPTER 1\n\nÉtude.")).ToArray();

        var book = await Parser().ParseAsync(bytes, "text/plain");

        book.Chapters.Select(c => c.Title).Should().Equal("Title Page", "Chapter 1");
        book.Chapters[1].Paragraphs.Should().Equal("Étude.");
    }

    [Fact]
    public async Task Binary_content_declared_as_text_is_an_invalid_document()
    {
        var bytes = new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0xFF, 0xFE, 0x00, 0x01 };

        var act = () => Parser().ParseAsync(bytes, "text/plain");

        (await act.Should().ThrowAsync<DocumentException>()).Which.ErrorCode.Should().Be(ErrorCodes.DocumentInvalid);
    }

    [Fact]
    public async Task Many_headings_stop_at_the_chapter_limit_quickly()
    {
        var text = "Book\n\n" + string.Join("\n\n", Enumerable.Range(1, 50_000).Select(i => $"CHAPTER {i}\n\nText {i}."));
        var parser = Parser(o => o.MaxChapters = 100);

        var act = () => parser.ParseAsync(Encoding.UTF8.GetBytes(text), "text/plain");

        (await act.Should().ThrowAsync<DocumentException>()).Which.ErrorCode.Should().Be(ErrorCodes.DocumentTooLarge);
    }

    [Fact]
    public async Task A_huge_single_line_is_read_quickly_in_bounded_paragraphs_and_parts()
    {
        var text = string.Concat(Enumerable.Repeat("All work and no play makes a dull day. ", 100_000));

        var book = await Parser().ParseAsync(Encoding.UTF8.GetBytes(text), "text/plain");

        book.Chapters.Should().HaveCountGreaterThan(50);
        book.Chapters.SelectMany(c => c.Paragraphs).Should().OnlyContain(p => p.Length <= PlainTextReader.MaxParagraphChars);
        book.Chapters.Sum(c => c.Words).Should().Be(100_000 * 9);
    }

    [Fact]
    public async Task Reading_honours_cancellation()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = () => new PlainTextReader().ReadAsync(new DocumentInput("text"u8.ToArray(), "text/plain", DocumentLimits.Default), cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    internal static BookDocumentParser Parser(Action<DocumentOptions>? configure = null)
    {
        var options = new DocumentOptions();
        configure?.Invoke(options);
        var readers = BuiltInReaders.All.Select(t => (IBookDocumentReader)Activator.CreateInstance(t)!);
        return new BookDocumentParser(readers, Options.Create(options));
    }

    private static Task<BookDocument> Read(string text)
        => new PlainTextReader().ReadAsync(new DocumentInput(Encoding.UTF8.GetBytes(text), "text/plain", DocumentLimits.Default));
}
