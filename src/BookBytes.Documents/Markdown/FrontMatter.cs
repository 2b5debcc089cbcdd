using BookBytes.Documents.Text;

namespace BookBytes.Documents.Markdown;

/// <summary>
/// The few keys of a Markdown file's YAML front matter a book needs, read without a YAML library: <c>key: value</c>
/// lines (quotes removed), a <c>[a, b]</c> flow list, or a block list of <c>- item</c> lines under a key.
/// </summary>
/// <param name="Title">The <c>title:</c>.</param>
/// <param name="Authors">The <c>author:</c>/<c>authors:</c>.</param>
/// <param name="Language">The <c>lang:</c>/<c>language:</c>.</param>
/// <param name="Description">The <c>description:</c>.</param>
internal sealed record FrontMatter(string? Title, IReadOnlyList<string> Authors, string? Language, string? Description)
{
    /// <summary>Reads front matter text (with or without its <c>---</c> fences).</summary>
    public static FrontMatter Parse(string yaml)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        List<string>? current = null;
        foreach (var raw in yaml.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Length == 0 || line.TrimStart().StartsWith('#') || line is "---" or "...")
            {
                continue;
            }

            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("- ", StringComparison.Ordinal) && current is not null)
            {
                current.Add(Unquote(trimmed[2..]));
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || char.IsWhiteSpace(line[0]))
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            current = [];
            values[key] = current;
            if (value.StartsWith('[') && value.EndsWith(']'))
            {
                current.AddRange(value[1..^1].Split(',').Select(Unquote));
            }
            else if (value.Length > 0)
            {
                current.Add(Unquote(value));
            }
        }

        string? One(params string[] keys) => keys.Select(k => values.TryGetValue(k, out var v) ? v.FirstOrDefault(x => x.Length > 0) : null).FirstOrDefault(v => v is not null);
        var authors = (values.TryGetValue("author", out var one) ? one : []).Concat(values.TryGetValue("authors", out var many) ? many : []).Where(a => a.Length > 0).ToList();
        return new FrontMatter(One("title"), authors, One("lang", "language"), One("description"));
    }

    private static string Unquote(string value)
    {
        var v = value.Trim();
        if (v.Length >= 2 && ((v[0] == '"' && v[^1] == '"') || (v[0] == '\'' && v[^1] == '\'')))
        {
            v = v[1..^1];
        }

        return TextCleanup.Normalize(v);
    }
}
