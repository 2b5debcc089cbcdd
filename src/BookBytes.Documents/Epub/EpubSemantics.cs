namespace BookBytes.Documents.Epub;

/// <summary>Maps EPUB structural semantics (<c>epub:type</c>, <c>role</c>, landmarks, EPUB 2 guide types) to a chapter kind. Thread-safe.</summary>
internal static class EpubSemantics
{
    private static readonly HashSet<string> Front = new(StringComparer.Ordinal)
    {
        "cover", "titlepage", "title-page", "halftitlepage", "frontmatter", "copyright-page", "toc", "doc-toc", "dedication", "doc-dedication",
        "epigraph", "doc-epigraph", "foreword", "doc-foreword", "preface", "doc-preface", "imprint", "imprimatur", "seriespage",
        "loi", "lot", "lov", "landmarks", "errata", "doc-errata", "other-credits", "halftitle",
    };

    private static readonly HashSet<string> Back = new(StringComparer.Ordinal)
    {
        "backmatter", "index", "doc-index", "bibliography", "doc-bibliography", "endnotes", "doc-endnotes", "rearnotes", "notes", "glossary",
        "doc-glossary", "colophon", "doc-colophon", "acknowledgments", "acknowledgements", "doc-acknowledgments", "contributors", "credits",
        "doc-credits", "appendix", "doc-appendix",
    };

    /// <summary>Gets Front or Back for matter types, Body for <c>bodymatter</c>/<c>text</c>, otherwise <see langword="null"/>.</summary>
    public static ChapterKind? KindOf(string? types)
    {
        if (string.IsNullOrWhiteSpace(types))
        {
            return null;
        }

        var words = types.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Any(Front.Contains))
        {
            return ChapterKind.Front;
        }

        if (words.Any(Back.Contains))
        {
            return ChapterKind.Back;
        }

        return words.Any(w => w is "bodymatter" or "text" or "start") ? ChapterKind.Body : null;
    }
}
