using BookBytes.Books;

namespace BookBytes.WebHost.Api;

/// <summary>An edition as the API shows it (the ISBN lookup, and inside an audiobook).</summary>
internal sealed record EditionResponse(
    Guid EditionId,
    string? Isbn13,
    string Title,
    IReadOnlyList<string> Authors,
    string Language,
    int? PublishYear,
    Uri? CoverUrl,
    IReadOnlyList<TableOfContentsEntry> TableOfContents)
{
    public static EditionResponse From(Edition edition)
        => new(edition.Id, edition.Isbn13, edition.Title, edition.Authors, edition.Language, edition.PublishYear, edition.CoverUrl, edition.TableOfContents);
}
