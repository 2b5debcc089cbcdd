using BookBytes.Books;

namespace BookBytes.WebHost.Api;

/// <summary>One table-of-contents entry as the API shows it; <c>number</c>, <c>kind</c> and <c>words</c> are set for document editions.</summary>
internal sealed record TableOfContentsEntryResponse(
    string Title,
    int Level,
    string? Label,
    string? PageNumber,
    bool IsFrontOrBackMatter,
    int? Number,
    string? Kind,
    int? Words)
{
    public static TableOfContentsEntryResponse From(TableOfContentsEntry entry)
        => new(entry.Title, entry.Level, entry.Label, entry.PageNumber, entry.IsFrontOrBackMatter, entry.Number, entry.Kind?.ToString().ToLowerInvariant(), entry.Words);
}
