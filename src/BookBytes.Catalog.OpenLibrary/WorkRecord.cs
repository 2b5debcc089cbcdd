using System.Text.Json;

namespace BookBytes.Catalog.OpenLibrary;

/// <summary>The parts of an Open Library work (<c>/works/OL…W.json</c>) that BookBytes uses.</summary>
internal sealed record WorkRecord(string? Title, string? Description, IReadOnlyList<string> Subjects, IReadOnlyList<string> AuthorKeys)
{
    /// <summary>Reads a work record; <c>description</c> may be a string or a <c>{type, value}</c> object.</summary>
    public static WorkRecord Read(JsonElement root)
    {
        var authorKeys = new List<string>();
        foreach (var role in root.EnumerateArrayProperty("authors"))
        {
            // Works list authors as {author: {key}, type: {key: "/type/author_role"}}; a few old records use {key}.
            var key = role.ValueKind == JsonValueKind.Object && role.TryGetProperty("author", out var author)
                ? author.GetStringOrNull("key")
                : role.GetStringOrNull("key");
            if (OpenLibraryKey.IsAuthor(key))
            {
                authorKeys.Add(key!);
            }
        }

        return new(
            Title: root.GetStringOrNull("title"),
            Description: root.GetTextOrNull("description"),
            Subjects: root.GetStrings("subjects").Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            AuthorKeys: authorKeys);
    }
}
