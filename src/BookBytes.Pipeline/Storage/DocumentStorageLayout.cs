using System.Globalization;
using BookBytes.Storage;

namespace BookBytes.Pipeline.Storage;

/// <summary>Where an uploaded document is kept: under its edition, <c>sources/{editionId}/…</c>; never a name from the upload.</summary>
internal static class DocumentStorageLayout
{
    public static StorageKey Original(Guid editionId, string mediaType)
        => StorageKey.Parse(string.Create(CultureInfo.InvariantCulture, $"sources/{editionId:D}/original.{Extension(mediaType)}"));

    public static StorageKey Text(Guid editionId)
        => StorageKey.Parse(string.Create(CultureInfo.InvariantCulture, $"sources/{editionId:D}/book.json"));

    /// <summary>Gets the key of one chapter's parsed text (its <c>DocumentChapter</c> as JSON): <c>sources/{editionId}/chapters/{NNNN}.json</c>, so a job reads the chapters it makes one at a time instead of the whole book.</summary>
    /// <param name="editionId">The edition id.</param>
    /// <param name="number">The chapter number.</param>
    /// <returns>The key.</returns>
    public static StorageKey ChapterText(Guid editionId, int number)
        => StorageKey.Parse(string.Create(CultureInfo.InvariantCulture, $"sources/{editionId:D}/chapters/{number:D4}.json"));

    /// <summary>Gets the key of the document's cover image: <c>sources/{editionId}/cover.{jpg|png}</c>.</summary>
    /// <param name="editionId">The edition id.</param>
    /// <param name="extension"><c>jpg</c> or <c>png</c>, from the image's own bytes.</param>
    /// <returns>The key.</returns>
    public static StorageKey Cover(Guid editionId, string extension)
        => StorageKey.Parse(string.Create(CultureInfo.InvariantCulture, $"sources/{editionId:D}/cover.{extension}"));

    private static string Extension(string mediaType) => mediaType switch
    {
        "application/epub+zip" => "epub",
        "application/pdf" => "pdf",
        "text/html" or "application/xhtml+xml" => "html",
        "text/markdown" or "text/x-markdown" => "md",
        "text/plain" => "txt",
        _ => "bin",
    };
}
