using System.Text;
using Microsoft.Extensions.Options;

namespace BookBytes.Documents.Tests;

public sealed class BookDocumentParserTests
{
    [Fact]
    public async Task A_signature_wins_over_the_declared_type_and_a_declared_type_picks_among_the_unsure()
    {
        var parser = Parser(new StubReader("application/x-stub", "STUB"), new StubReader("text/plain", null));

        var signed = await parser.ParseAsync(Encoding.ASCII.GetBytes("STUB and more"), "text/plain");
        var plain = await parser.ParseAsync(Encoding.ASCII.GetBytes("just words"), "text/plain; charset=utf-8");
        var undeclared = await parser.ParseAsync(Encoding.ASCII.GetBytes("just words"), "application/octet-stream");

        signed.Title.Should().Be("application/x-stub");
        plain.Title.Should().Be("text/plain");
        undeclared.Title.Should().Be("text/plain");
    }

    [Theory]
    [InlineData("", "text/plain", ErrorCodes.DocumentInvalid, "empty")]
    [InlineData("words", "application/msword", ErrorCodes.UnsupportedMediaType, "application/msword")]
    [InlineData("words", "application/x-stub", ErrorCodes.DocumentInvalid, "not a application/x-stub document")]
    public async Task Refusals_name_what_was_wrong(string content, string mediaType, string code, string message)
    {
        var parser = Parser(new StubReader("application/x-stub", "STUB"), new StubReader("text/plain", null));

        var act = () => parser.ParseAsync(Encoding.ASCII.GetBytes(content), mediaType);

        var thrown = (await act.Should().ThrowAsync<DocumentException>()).Which;
        thrown.ErrorCode.Should().Be(code);
        thrown.Message.Should().Contain(message);
    }

    [Fact]
    public async Task Over_the_upload_limit_is_too_large_before_any_reader_runs()
    {
        var reader = new StubReader("text/plain", null);
        var parser = Parser(o => o.MaxUploadBytes = 4, reader);

        var act = () => parser.ParseAsync(Encoding.ASCII.GetBytes("12345"), "text/plain");

        (await act.Should().ThrowAsync<DocumentException>()).Which.ErrorCode.Should().Be(ErrorCodes.DocumentTooLarge);
        reader.Reads.Should().Be(0);
    }

    [Fact]
    public async Task A_reader_that_never_finishes_is_cut_off_at_the_parse_timeout()
    {
        var parser = Parser(o => o.ParseTimeout = TimeSpan.FromMilliseconds(200), new StubReader("text/plain", null) { Hang = true });

        var act = () => parser.ParseAsync(Encoding.ASCII.GetBytes("words"), "text/plain");

        var thrown = (await act.Should().ThrowAsync<DocumentException>()).Which;
        thrown.ErrorCode.Should().Be(ErrorCodes.DocumentTooLarge);
        thrown.Message.Should().Contain("ParseTimeout");
    }

    [Fact]
    public async Task What_a_parser_throws_unexpectedly_is_an_invalid_document_and_too_many_chapters_too_large()
    {
        var crashing = Parser(new StubReader("text/plain", null) { Crash = true });
        var many = Parser(o => o.MaxChapters = 2, new StubReader("text/plain", null) { Chapters = 3 });

        (await FluentActions.Awaiting(() => crashing.ParseAsync(Encoding.ASCII.GetBytes("x"), "text/plain")).Should().ThrowAsync<DocumentException>())
            .Which.ErrorCode.Should().Be(ErrorCodes.DocumentInvalid);
        (await FluentActions.Awaiting(() => many.ParseAsync(Encoding.ASCII.GetBytes("x"), "text/plain")).Should().ThrowAsync<DocumentException>())
            .Which.ErrorCode.Should().Be(ErrorCodes.DocumentTooLarge);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_document_error()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var parser = Parser(new StubReader("text/plain", null) { Hang = true });

        await FluentActions.Awaiting(() => parser.ParseAsync(Encoding.ASCII.GetBytes("x"), "text/plain", cts.Token)).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void Words_are_counted_across_scripts()
    {
        DocumentText.CountWords(["It's a well-known fact.", "Deux mots"]).Should().Be(6);
        DocumentText.CountWords(["日本語の文"]).Should().Be(4);
    }

    private static BookDocumentParser Parser(params IBookDocumentReader[] readers) => Parser(null, readers);

    private static BookDocumentParser Parser(Action<DocumentOptions>? configure, params IBookDocumentReader[] readers)
    {
        var options = new DocumentOptions();
        configure?.Invoke(options);
        return new BookDocumentParser(readers, Options.Create(options));
    }

    private sealed class StubReader(string mediaType, string? signature) : IBookDocumentReader
    {
        private int _reads;

        public bool Hang { get; init; }

        public bool Crash { get; init; }

        public int Chapters { get; init; } = 1;

        public int Reads => _reads;

        public IReadOnlyList<string> MediaTypes { get; } = [mediaType];

        public DocumentMatch Sniff(ReadOnlySpan<byte> head)
            => signature is not null
                ? (head.StartsWith(Encoding.ASCII.GetBytes(signature)) ? DocumentMatch.Certain : DocumentMatch.No)
                : (head.Contains((byte)0) ? DocumentMatch.No : DocumentMatch.Maybe);

        public async Task<BookDocument> ReadAsync(DocumentInput input, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            if (Hang)
            {
                // Ignores the token, as a careless reader would: the parser must not wait for it.
                await Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None);
            }

            if (Crash)
            {
                throw new InvalidDataException("parser bug");
            }

            return new BookDocument
            {
                Title = input.MediaType,
                Chapters = [.. Enumerable.Range(1, Chapters).Select(n => new DocumentChapter(n, "Chapter " + n, 0, ChapterKind.Body, ["Text."]))],
            };
        }
    }
}
