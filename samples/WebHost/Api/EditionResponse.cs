using BookBytes.Books;

namespace BookBytes.WebHost.Api;

/// <summary>An edition as the API shows it (the ISBN lookup, an upload, <c>GET /api/v1/editions/{id}</c>, and inside an audiobook).</summary>
/// <param name="Source"><c>catalog</c> for an ISBN lookup, <c>document</c> for an upload.</param>
internal sealed record EditionResponse(
    Guid EditionId,
    string? Isbn13,
    string Title,
    IReadOnlyList<string> Authors,
    string Language,
    int? PublishYear,
    Uri? CoverUrl,
    string Source,
    IReadOnlyList<TableOfContentsEntryResponse> TableOfContents)
{
    public static EditionResponse From(Edition edition)
        => new(
            edition.Id,
            edition.Isbn13,
            edition.Title,
            edition.Authors,
            edition.Language,
            edition.PublishYear,
            edition.CoverUrl,
            edition.Source == EditionSource.Document ? "document" : "catalog",
            [.. edition.TableOfContents.Select(TableOfContentsEntryResponse.From)]);
}
