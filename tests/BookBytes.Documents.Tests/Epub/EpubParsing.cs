using BookBytes.Documents.Epub;
using Microsoft.Extensions.Options;

namespace BookBytes.Documents.Tests.Epub;

internal static class EpubParsing
{
    public static BookDocumentParser Parser(Action<DocumentOptions>? configure = null)
    {
        var options = new DocumentOptions();
        configure?.Invoke(options);
        return new BookDocumentParser([new EpubReader()], Options.Create(options));
    }

    public static Task<BookDocument> ParseAsync(byte[] epub, Action<DocumentOptions>? configure = null, string? mediaType = "application/epub+zip")
        => Parser(configure).ParseAsync(epub, mediaType);
}
