using BookBytes.Storage;

namespace BookBytes.Books;

/// <summary>The uploaded document behind a <see cref="EditionSource.Document"/> edition, and where it is kept.</summary>
/// <param name="MediaType">The type it was read as, for example <c>application/epub+zip</c>.</param>
/// <param name="Sha256">The SHA-256 of the file, lower-case hex: the same file uploaded again is the same edition.</param>
/// <param name="Bytes">The file's size.</param>
/// <param name="OriginalKey">Where the original file is stored.</param>
/// <param name="TextKey">Where the parsed text (the <c>BookDocument</c> as JSON) is stored, so no node parses it again.</param>
public sealed record EditionDocument(string MediaType, string Sha256, long Bytes, StorageKey OriginalKey, StorageKey TextKey)
{
    /// <summary>Gets where the document's cover image is stored (<c>sources/{editionId}/cover.{jpg|png}</c>), or <see langword="null"/> when it has none.</summary>
    public StorageKey? CoverKey { get; init; }
}
