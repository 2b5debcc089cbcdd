using System.Text.RegularExpressions;
using BookBytes.Documents.Text;

namespace BookBytes.Documents.PlainText;

/// <summary>
/// Takes a Project Gutenberg file apart: the header before <c>*** START OF THE PROJECT GUTENBERG EBOOK … ***</c>
/// (or the older <c>*END*THE SMALL PRINT!</c> line) gives title, authors and language and is not read; the
/// licence after <c>*** END OF … ***</c> (or <c>End of the Project Gutenberg EBook …</c>) is kept apart.
/// </summary>
internal static partial class Gutenberg
{
    /// <summary>A text taken apart.</summary>
    /// <param name="Body">The book's own text.</param>
    /// <param name="Title">The header's <c>Title:</c>, if any.</param>
    /// <param name="Authors">The header's <c>Author:</c>s.</param>
    /// <param name="Language">The header's <c>Language:</c> as a BCP 47 tag, if known.</param>
    /// <param name="Licence">The licence text after the end marker, if any.</param>
    internal sealed record Parts(string Body, string? Title, IReadOnlyList<string> Authors, string? Language, string? Licence);

    private static readonly Dictionary<string, string> Languages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["English"] = "en", ["French"] = "fr", ["German"] = "de", ["Spanish"] = "es", ["Italian"] = "it",
        ["Portuguese"] = "pt", ["Dutch"] = "nl", ["Finnish"] = "fi", ["Swedish"] = "sv", ["Danish"] = "da",
        ["Norwegian"] = "no", ["Latin"] = "la", ["Greek"] = "el", ["Russian"] = "ru", ["Polish"] = "pl",
        ["Hungarian"] = "hu", ["Czech"] = "cs", ["Chinese"] = "zh", ["Japanese"] = "ja", ["Esperanto"] = "eo",
        ["Catalan"] = "ca", ["Welsh"] = "cy", ["Irish"] = "ga", ["Tagalog"] = "tl",
    };

    /// <summary>Splits a text; one that is not from Project Gutenberg comes back whole as the body.</summary>
    public static Parts Split(string text)
    {
        var start = Start().Match(text);
        if (!start.Success)
        {
            start = OldStart().Match(text);
        }

        if (!start.Success)
        {
            return new Parts(text, null, [], null, null);
        }

        var header = text[..start.Index];
        var rest = text[(start.Index + start.Length)..];
        string? licence = null;
        var end = End().Match(rest);
        if (end.Success)
        {
            licence = rest[(end.Index + end.Length)..];
            rest = rest[..end.Index];
        }

        // "End of the Project Gutenberg EBook of …" closes the book's text just before the end marker (or instead of it).
        var closing = Closing().Match(rest);
        if (closing.Success)
        {
            licence ??= rest[(closing.Index + closing.Length)..];
            rest = rest[..closing.Index];
        }

        rest = Producer().Replace(rest, string.Empty, 1);
        var title = Field(header, "Title") ?? MarkerTitle(start.Value);
        var authors = Fields(header, "Author").SelectMany(a => AuthorSeparator().Split(a)).Select(a => a.Trim()).Where(a => a.Length > 0).ToList();
        var language = Field(header, "Language") is { } name ? Tag(name) : null;
        return new Parts(rest, title, authors, language, string.IsNullOrWhiteSpace(licence) ? null : licence);
    }

    private static string? Tag(string name)
    {
        var first = name.Split([',', ';', ' '], 2)[0].Trim();
        return Languages.TryGetValue(first, out var tag) ? tag : LanguageTag().IsMatch(first) ? first.ToLowerInvariant() : null;
    }

    private static string? MarkerTitle(string marker)
    {
        var title = MarkerName().Match(marker);
        if (!title.Success)
        {
            return null;
        }

        var name = TextCleanup.Normalize(title.Groups["title"].Value.Trim(' ', '*'));
        return name.Length == 0 ? null : name.Any(char.IsLower) ? name : HeadingCase.Title(name);
    }

    private static string? Field(string header, string name) => Fields(header, name).FirstOrDefault();

    private static IEnumerable<string> Fields(string header, string name)
    {
        var lines = header.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // A long title goes on over indented lines.
            var value = lines[i][(name.Length + 1)..].Trim();
            while (i + 1 < lines.Length && lines[i + 1].Length > 0 && char.IsWhiteSpace(lines[i + 1][0]) && lines[i + 1].Trim().Length > 0)
            {
                value += " " + lines[++i].Trim();
            }

            if (value.Length > 0)
            {
                yield return TextCleanup.Normalize(value);
            }
        }
    }

    [GeneratedRegex(@"^[ \t]*\*{3}[ \t]*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b[^\n]*$", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Start();

    [GeneratedRegex(@"^[^\n]*\*END\*[ \t]*THE SMALL PRINT[^\n]*$", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex OldStart();

    [GeneratedRegex(@"^[ \t]*\*{3}[ \t]*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b[^\n]*$", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex End();

    [GeneratedRegex(@"^[ \t]*\**[ \t]*End of (?:the |this )?Project Gutenberg(?:'s|’s)?\b[^\n]*$", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Closing();

    [GeneratedRegex(@"^\s*(?:Produced by|E-text prepared by|This eBook was produced by|Transcribed from)[^\n]*(?:\n[^\n]+)*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Producer();

    [GeneratedRegex(@"E-?BOOK(?:\s+OF)?\s+(?<title>.*?)\s*\*{0,3}\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex MarkerName();

    [GeneratedRegex(@"\s*;\s*|\s+and\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex AuthorSeparator();

    [GeneratedRegex(@"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex LanguageTag();
}
