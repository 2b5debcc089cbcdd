using BookBytes.Books;

namespace BookBytes.Packaging;

/// <summary>What to package: the chapters in order, the tags, and the cover.</summary>
/// <param name="Format">The file to make.</param>
/// <param name="Chapters">The chapters, in order; at least one.</param>
/// <param name="Tags">The book's tags.</param>
public sealed record PackageRequest(PackageFormat Format, IReadOnlyList<PackageChapter> Chapters, PackageTags Tags)
{
    /// <summary>Gets the cover art (JPEG or PNG), or <see langword="null"/> for none.</summary>
    public CoverImage? Cover { get; init; }
}
