using System.Text;
using BookBytes.Books;
using BookBytes.Documents;
using BookBytes.Jobs;

namespace BookBytes.Pipeline.Tests.Processing;

/// <summary><see cref="BookBytes.Pipeline.Processing.ProcessingService.AddDocumentAsync"/>: an uploaded book becomes an edition, stored once.</summary>
public sealed class DocumentImportTests
{
    private static readonly byte[] File = Encoding.UTF8.GetBytes("the bytes of an uploaded file");

    private static BookDocument Book(string? isbn = null) => new()
    {
        Title = "A Book of My Own",
        Authors = ["A. Writer"],
        Language = "fr",
        Isbn13 = isbn,
        Cover = new DocumentCover(new byte[] { 1, 2, 3 }, "image/png"),
        Chapters =
        [
            new DocumentChapter(1, "Contents", 0, ChapterKind.Front, ["One", "Two"]),
            new DocumentChapter(2, "Part One", 0, ChapterKind.Body, []),
            new DocumentChapter(3, "The Beginning", 1, ChapterKind.Body, ["It begins here, in three sentences. Then more. The end."]),
            new DocumentChapter(4, "Notes", 0, ChapterKind.Back, ["A note."]),
        ],
    };

    [Fact]
    public async Task A_document_becomes_an_edition_with_its_chapters_and_the_same_file_again_is_the_same_edition()
    {
        await using var node = new PipelineHarness();

        var added = await node.Processing.AddDocumentAsync(File, "application/epub+zip", Book("0-306-40615-2"));
        var again = await node.Processing.AddDocumentAsync(File, "application/epub+zip", Book());

        added.Created.Should().BeTrue();
        again.Created.Should().BeFalse();
        again.Edition.Id.Should().Be(added.Edition.Id);
        var edition = (await node.Processing.GetEditionAsync(added.Edition.Id))!;
        edition.Source.Should().Be(EditionSource.Document);
        edition.Isbn13.Should().Be("9780306406157", "the document's ISBN becomes the edition's");
        edition.Title.Should().Be("A Book of My Own");
        edition.Language.Should().Be("fr");
        edition.TableOfContents.Select(e => (e.Number, e.Title, e.Level, e.Kind, e.Words, e.IsFrontOrBackMatter)).Should().Equal(
            (1, "Contents", 0, ChapterKind.Front, 2, true),
            (2, "Part One", 0, ChapterKind.Body, 0, false),
            (3, "The Beginning", 1, ChapterKind.Body, 10, false),
            (4, "Notes", 0, ChapterKind.Back, 2, true));
        var document = edition.Document!;
        document.MediaType.Should().Be("application/epub+zip");
        document.Bytes.Should().Be(File.Length);
        document.Sha256.Should().HaveLength(64);
        document.OriginalKey.Value.Should().Be($"sources/{edition.Id:D}/original.epub");
        document.TextKey.Value.Should().Be($"sources/{edition.Id:D}/book.json");
        node.Storage.Objects[document.OriginalKey.Value].Bytes.Should().Equal(File);
        node.Storage.Objects[document.OriginalKey.Value].ContentType.Should().Be("application/epub+zip");
        var text = Encoding.UTF8.GetString(node.Storage.Objects[document.TextKey.Value].Bytes);
        text.Should().Contain("It begins here").And.NotContain("\"cover\":{", "the cover's bytes are not copied into the text");
        (await node.Store.CountAsync()).Should().Be(0, "adding a document starts no job");
    }

    [Fact]
    public async Task An_isbn_another_edition_holds_is_left_to_it()
    {
        await using var node = new PipelineHarness();
        var isbn = node.Catalog.Add("9780306406157", "The Catalog's Book");
        var looked = await node.Processing.LookupAsync(isbn);

        var added = await node.Processing.AddDocumentAsync(File, "text/plain", Book("9780306406157"));

        added.Edition.Id.Should().NotBe(looked.Id);
        added.Edition.Isbn13.Should().BeNull();
        (await node.Processing.LookupAsync(isbn)).Id.Should().Be(looked.Id, "the catalog edition keeps its ISBN");
        node.Storage.Objects.Keys.Should().Contain($"sources/{added.Edition.Id:D}/original.txt");
    }

    [Fact]
    public async Task Empty_files_and_documents_without_chapters_are_refused()
    {
        await using var node = new PipelineHarness();

        await FluentActions.Awaiting(() => node.Processing.AddDocumentAsync(ReadOnlyMemory<byte>.Empty, "text/plain", Book())).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => node.Processing.AddDocumentAsync(File, "text/plain", Book() with { Chapters = [] })).Should().ThrowAsync<ArgumentException>();
    }
}
