using System.Text.Json;
using BookBytes.Books;

namespace BookBytes.Catalog.OpenLibrary;

/// <summary>The parts of an Open Library edition (<c>/books/OL…M.json</c>) that BookBytes uses.</summary>
internal sealed record EditionRecord(
    string? Title,
    string? Subtitle,
    IReadOnlyList<string> AuthorKeys,
    string? WorkKey,
    string? Publisher,
    string? PublishDate,
    string? LanguageKey,
    int? NumberOfPages,
    int? CoverId,
    IReadOnlyList<TableOfContentsEntry> TableOfContents)
{
    /// <summary>Reads an edition record; missing or odd fields become unknown.</summary>
    public static EditionRecord Read(JsonElement root) => new(
        Title: root.GetStringOrNull("title"),
        Subtitle: root.GetStringOrNull("subtitle"),
        AuthorKeys: root.GetKeys("authors").Where(OpenLibraryKey.IsAuthor).ToList(),
        WorkKey: root.GetKeys("works").FirstOrDefault(OpenLibraryKey.IsWork),
        Publisher: root.GetStrings("publishers").FirstOrDefault(),
        PublishDate: root.GetStringOrNull("publish_date"),
        LanguageKey: root.GetKeys("languages").FirstOrDefault(),
        NumberOfPages: root.GetPositiveInt32OrNull("number_of_pages"),
        CoverId: FirstCover(root),
        TableOfContents: TableOfContentsReader.Read(root.EnumerateArrayProperty("table_of_contents")));

    // Open Library marks removed covers with -1 and keeps them in the list.
    private static int? FirstCover(JsonElement root)
    {
        foreach (var item in root.EnumerateArrayProperty("covers"))
        {
            if (item.AsInt32OrNull() is > 0 and var id)
            {
                return id;
            }
        }

        return null;
    }
}
