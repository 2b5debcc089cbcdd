using System.Xml.Linq;
using BookBytes.Documents.Text;

namespace BookBytes.Documents.Epub;

/// <summary>An EPUB's package document (OPF): metadata, manifest, spine and the EPUB 2 guide.</summary>
internal sealed class EpubPackage
{
    /// <summary>A manifest item.</summary>
    public sealed record Item(string Id, string Path, string MediaType, string Properties);

    /// <summary>A spine item.</summary>
    public sealed record SpineItem(Item Item, bool Linear);

    public required string Path { get; init; }

    public string? Title { get; init; }

    public IReadOnlyList<string> Authors { get; init; } = [];

    public string? Language { get; init; }

    public IReadOnlyList<string> Identifiers { get; init; } = [];

    public string? Description { get; init; }

    public Item? Cover { get; init; }

    public Item? Nav { get; init; }

    public Item? Ncx { get; init; }

    public IReadOnlyList<SpineItem> Spine { get; init; } = [];

    public IReadOnlyList<EpubNavEntry> Guide { get; init; } = [];

    /// <summary>Reads the package document at <paramref name="path"/>.</summary>
    /// <exception cref="DocumentException">It is not an OPF package, or declares a DTD.</exception>
    public static EpubPackage Parse(byte[] bytes, string path)
    {
        var xml = EpubXml.Load(bytes, $"package document ({path})");
        var root = xml.Root;
        if (root is null || root.Name.LocalName != "package")
        {
            throw new DocumentException($"The EPUB's package document ({path}) has no <package> root.", ErrorCodes.DocumentInvalid);
        }

        var metadata = root.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata") ?? new XElement("metadata");
        var items = new Dictionary<string, Item>(StringComparer.Ordinal);
        foreach (var element in root.Named("item"))
        {
            var id = element.Attr("id");
            if (id is null || EpubPath.Resolve(path, element.Attr("href")) is not { } target)
            {
                continue;
            }

            items.TryAdd(id, new Item(id, target.Path, (element.Attr("media-type") ?? string.Empty).Trim().ToLowerInvariant(), element.Attr("properties") ?? string.Empty));
        }

        var spineElement = root.Elements().FirstOrDefault(e => e.Name.LocalName == "spine");
        var spine = new List<SpineItem>();
        foreach (var itemref in spineElement?.Elements().Where(e => e.Name.LocalName == "itemref") ?? [])
        {
            if (itemref.Attr("idref") is { } idref && items.TryGetValue(idref, out var item))
            {
                spine.Add(new SpineItem(item, !string.Equals(itemref.Attr("linear"), "no", StringComparison.OrdinalIgnoreCase)));
            }
        }

        var refines = metadata.Elements().Where(e => e.Name.LocalName == "meta" && e.Attr("refines") is not null && e.Attr("property") == "role")
            .ToLookup(e => e.Attr("refines")!.TrimStart('#'), e => e.Value.Trim());
        var authors = new List<string>();
        foreach (var creator in metadata.Elements().Where(e => e.Name.LocalName == "creator"))
        {
            var role = creator.Attr("role") ?? (creator.Attr("id") is { } cid ? refines[cid].FirstOrDefault() : null);
            var name = TextCleanup.Normalize(creator.Value);
            if (name.Length > 0 && (role is null || role == "aut"))
            {
                authors.Add(name);
            }
        }

        Item? cover = items.Values.FirstOrDefault(i => HasProperty(i.Properties, "cover-image"));
        if (cover is null && metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "meta" && e.Attr("name") == "cover")?.Attr("content") is { } coverId)
        {
            items.TryGetValue(coverId, out cover);
        }

        var guide = new List<EpubNavEntry>();
        foreach (var reference in root.Named("reference"))
        {
            if (EpubPath.Resolve(path, reference.Attr("href")) is { } target)
            {
                guide.Add(new EpubNavEntry(TextCleanup.Normalize(reference.Attr("title") ?? string.Empty), target.Path, target.Fragment, 0, (reference.Attr("type") ?? string.Empty).Trim().ToLowerInvariant()));
            }
        }

        string? Text(string name) => metadata.Elements().Where(e => e.Name.LocalName == name).Select(e => TextCleanup.Normalize(e.Value)).FirstOrDefault(v => v.Length > 0);
        var tocId = spineElement?.Attr("toc");
        return new EpubPackage
        {
            Path = path,
            Title = Text("title"),
            Authors = authors,
            Language = Text("language"),
            Identifiers = [.. metadata.Elements().Where(e => e.Name.LocalName == "identifier").Select(e => e.Value.Trim()).Where(v => v.Length > 0)],
            Description = Text("description"),
            Cover = cover is not null && cover.MediaType.StartsWith("image/", StringComparison.Ordinal) ? cover : null,
            Nav = items.Values.FirstOrDefault(i => HasProperty(i.Properties, "nav")),
            Ncx = (tocId is not null && items.TryGetValue(tocId, out var ncx) ? ncx : null) ?? items.Values.FirstOrDefault(i => i.MediaType == "application/x-dtbncx+xml"),
            Spine = spine,
            Guide = guide,
        };
    }

    private static bool HasProperty(string properties, string property)
        => properties.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(property, StringComparer.Ordinal);
}
