using System.Xml.Linq;
using AngleSharp.Dom;
using BookBytes.Documents.Html;
using BookBytes.Documents.Text;

namespace BookBytes.Documents.Epub;

/// <summary>Reads the table of contents and landmarks from an EPUB 3 navigation document or an EPUB 2 NCX. Thread-safe.</summary>
internal static class EpubNavigation
{
    // Deeper nesting is not followed (and recursion stays bounded): no real book nests its contents this far.
    private const int MaxDepth = 32;

    /// <summary>Reads the EPUB 3 navigation document: the <c>toc</c> entries and the <c>landmarks</c>.</summary>
    public static (List<EpubNavEntry> Toc, List<EpubNavEntry> Landmarks) FromNav(string html, string path)
    {
        using var document = HtmlText.Parse(html);
        var navs = document.QuerySelectorAll("nav").ToList();
        var toc = navs.FirstOrDefault(n => HtmlText.TypesOf(n).Split(' ').Contains("toc")) ?? navs.FirstOrDefault(n => HtmlText.TypesOf(n).Length == 0);
        var entries = new List<EpubNavEntry>();
        if (toc?.Children.FirstOrDefault(c => c.LocalName == "ol") is { } list)
        {
            Walk(list, 0, path, entries);
        }

        var landmarks = new List<EpubNavEntry>();
        foreach (var nav in navs.Where(n => HtmlText.TypesOf(n).Split(' ').Contains("landmarks")))
        {
            foreach (var link in nav.QuerySelectorAll("a[href]"))
            {
                if (EpubPath.Resolve(path, link.GetAttribute("href")) is { } target)
                {
                    landmarks.Add(new EpubNavEntry(TextCleanup.Normalize(link.TextContent), target.Path, target.Fragment, 0, HtmlText.TypesOf(link)));
                }
            }
        }

        return (entries, landmarks);
    }

    /// <summary>Reads the EPUB 2 NCX's nested <c>navPoint</c>s.</summary>
    public static List<EpubNavEntry> FromNcx(byte[] bytes, string path)
    {
        var xml = EpubXml.Load(bytes, $"NCX table of contents ({path})", allowNcxDoctype: true);
        var entries = new List<EpubNavEntry>();
        var map = xml.Root?.Named("navMap").FirstOrDefault();
        if (map is not null)
        {
            WalkNcx(map, 0, path, entries);
        }

        return entries;
    }

    private static void Walk(IElement list, int level, string path, List<EpubNavEntry> entries)
    {
        foreach (var item in list.Children.Where(c => c.LocalName == "li"))
        {
            var label = item.Children.FirstOrDefault(c => c.LocalName is "a" or "span") ?? item;
            var link = label.LocalName == "a" && label.HasAttribute("href") ? label : item.QuerySelector("a[href]");
            var title = TextCleanup.Normalize(label.LocalName == "li" ? string.Empty : label.TextContent);
            if (link is not null && EpubPath.Resolve(path, link.GetAttribute("href")) is { } target)
            {
                entries.Add(new EpubNavEntry(title, target.Path, target.Fragment, level));
            }

            if (level < MaxDepth && item.Children.FirstOrDefault(c => c.LocalName == "ol") is { } nested)
            {
                Walk(nested, level + 1, path, entries);
            }
        }
    }

    private static void WalkNcx(XElement parent, int level, string path, List<EpubNavEntry> entries)
    {
        foreach (var point in parent.Elements().Where(e => e.Name.LocalName == "navPoint"))
        {
            var label = point.Elements().FirstOrDefault(e => e.Name.LocalName == "navLabel")?.Value ?? string.Empty;
            var src = point.Elements().FirstOrDefault(e => e.Name.LocalName == "content")?.Attr("src");
            if (EpubPath.Resolve(path, src) is { } target)
            {
                entries.Add(new EpubNavEntry(TextCleanup.Normalize(label), target.Path, target.Fragment, level));
            }

            if (level < MaxDepth)
            {
                WalkNcx(point, level + 1, path, entries);
            }
        }
    }
}
