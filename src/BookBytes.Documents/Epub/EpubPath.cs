namespace BookBytes.Documents.Epub;

/// <summary>Resolves an href inside the EPUB against the document it appears in; references leaving the archive's root, or to other schemes, resolve to nothing. Thread-safe.</summary>
internal static class EpubPath
{
    /// <summary>Gets the folder of an entry path (<c>OEBPS/</c> for <c>OEBPS/content.opf</c>).</summary>
    public static string FolderOf(string path) => path.LastIndexOf('/') is var i and >= 0 ? path[..(i + 1)] : string.Empty;

    /// <summary>Resolves <paramref name="href"/> as written in the entry <paramref name="from"/>: the entry path and the fragment, or <see langword="null"/>.</summary>
    public static (string Path, string? Fragment)? Resolve(string from, string? href)
    {
        if (string.IsNullOrWhiteSpace(href))
        {
            return null;
        }

        href = href.Trim();
        string? fragment = null;
        var hash = href.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            fragment = Uri.UnescapeDataString(href[(hash + 1)..]);
            href = href[..hash];
            fragment = fragment.Length == 0 ? null : fragment;
        }

        if (href.Length == 0)
        {
            return (from, fragment);
        }

        var folder = FolderOf(from);
        if (href.Contains(':', StringComparison.Ordinal) || href.StartsWith('/') || href.StartsWith('\\'))
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var part in (folder + Uri.UnescapeDataString(href)).Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return parts.Count == 0 ? null : (string.Join('/', parts), fragment);
    }
}
