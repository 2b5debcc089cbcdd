using System.Text.Json;
using BookBytes.Books;

namespace BookBytes.Catalog.OpenLibrary;

/// <summary>Reads an edition's <c>table_of_contents</c> into the top-level chapters.</summary>
internal static class TableOfContentsReader
{
    /// <summary>
    /// Reads both forms Open Library holds: objects <c>{level, label, title, pagenum}</c> and the legacy
    /// array of plain strings (which has no levels, so every entry counts as top level). Entries with
    /// neither title nor label are dropped; an entry with only a label (<c>Chapter 3</c>) keeps the label
    /// as its title. Only the entries at the smallest level present are kept — sections under a chapter
    /// are not chapters to summarise. Front and back matter is kept but flagged.
    /// </summary>
    /// <param name="items">The array items.</param>
    /// <returns>The top-level entries in book order; empty when there are none.</returns>
    public static IReadOnlyList<TableOfContentsEntry> Read(IEnumerable<JsonElement> items)
    {
        var entries = new List<TableOfContentsEntry>();
        foreach (var item in items)
        {
            if (ReadEntry(item) is { } entry)
            {
                entries.Add(entry);
            }
        }

        if (entries.Count == 0)
        {
            return [];
        }

        var topLevel = entries.Min(e => e.Level);
        return entries.Where(e => e.Level == topLevel).ToList();
    }

    private static TableOfContentsEntry? ReadEntry(JsonElement item)
    {
        string? title;
        string? label = null;
        string? page = null;
        var level = 0;

        switch (item.ValueKind)
        {
            case JsonValueKind.String:
                title = item.AsTrimmedString();
                break;
            case JsonValueKind.Object:
                title = item.GetStringOrNull("title");
                label = item.GetStringOrNull("label");
                page = item.GetStringOrNull("pagenum");
                level = item.TryGetProperty("level", out var levelElement) ? Math.Max(0, levelElement.AsInt32OrNull() ?? 0) : 0;
                break;
            default:
                return null;
        }

        if (title is null)
        {
            if (label is null)
            {
                return null;
            }

            (title, label) = (label, null);
        }

        return new TableOfContentsEntry(title, level, label, page, FrontBackMatter.IsFrontOrBackMatter(title));
    }
}
