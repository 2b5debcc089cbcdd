using System.Collections.Frozen;

namespace BookBytes.Catalog.OpenLibrary;

/// <summary>Recognises table-of-contents entries that are front or back matter rather than chapters.</summary>
/// <remarks>
/// An introduction, prologue, epilogue, conclusion or afterword is deliberately <em>not</em> flagged: in
/// non-fiction these are often real chapters that carry the book's argument, and summarising one
/// chapter too many costs less than dropping the thesis. Matching is by whole title (after trimming
/// punctuation and case) or by a few prefixes that cannot start a chapter title ("Appendix B: …",
/// "Preface to the second edition"); a chapter called "Notes from Underground" stays a chapter.
/// </remarks>
internal static class FrontBackMatter
{
    private static readonly FrozenSet<string> Titles = new[]
    {
        "preface", "foreword", "acknowledgments", "acknowledgements", "acknowledgment", "acknowledgement",
        "contents", "table of contents", "index", "notes", "endnotes", "bibliography", "selected bibliography",
        "references", "about the author", "about the authors", "copyright", "dedication", "appendix",
        "appendices", "glossary", "further reading", "suggested reading", "title page", "half title",
        "half-title page", "epigraph", "colophon", "frontispiece", "list of illustrations", "illustrations",
        "list of figures", "list of tables", "works cited", "sources", "credits", "permissions",
        "also by the author", "praise", "cover",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly string[] Prefixes =
    [
        "preface ", "preface:", "foreword ", "foreword:", "acknowledg", "appendix ", "appendix:", "appendices ",
        "about the author", "list of ", "index of ", "notes to ", "notes on sources", "notes and ",
        "further reading ", "further reading:",
    ];

    /// <summary>Says whether a title names front or back matter.</summary>
    /// <param name="title">The entry's title.</param>
    /// <returns><see langword="true"/> for entries such as a preface, an index or acknowledgements.</returns>
    public static bool IsFrontOrBackMatter(string title)
    {
        var normalized = title.Trim().TrimEnd('.', ':', ';', ',', ' ', '-', '—', '–').ToLowerInvariant();
        if (Titles.Contains(normalized))
        {
            return true;
        }

        foreach (var prefix in Prefixes)
        {
            if (normalized.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
