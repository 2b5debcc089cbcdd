using System.Text;
using System.Text.RegularExpressions;

namespace BookBytes.Documents.Text;

/// <summary>
/// Normalises text for listening, the same way for every reader: whitespace collapsed to single spaces, soft
/// hyphens and invisible zero-width characters removed, and <c>[12]</c>-style note markers taken out.
/// </summary>
/// <remarks>
/// Removed: U+00AD soft hyphen, U+200B zero-width space, U+2060 word joiner, U+FEFF byte-order mark. Kept:
/// U+200C/U+200D (zero-width non-joiner/joiner), which change how Persian, Indic scripts and emoji render.
/// Every whitespace character, no-break spaces included, becomes one ordinary space. Thread-safe.
/// </remarks>
internal static partial class TextCleanup
{
    /// <summary>Collapses whitespace, drops soft hyphens and zero-width characters, and trims.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (c is '\u00AD' or '\u200B' or '\u2060' or '\uFEFF')
            {
                continue;
            }

            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Removes <c>[12]</c>-style note markers (one to four digits in square brackets) with the one whitespace character before them.</summary>
    public static string RemoveNoteMarkers(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('[', StringComparison.Ordinal) ? NoteMarker().Replace(text, string.Empty) : text;
    }

    /// <summary>Normalises, then removes note markers (<see cref="Normalize"/>, <see cref="RemoveNoteMarkers"/>).</summary>
    /// <remarks>Whitespace is collapsed first, so the marker pattern never meets a long run of it.</remarks>
    public static string Clean(string text) => RemoveNoteMarkers(Normalize(text)).Trim();

    [GeneratedRegex(@"\s?\[\d{1,4}\]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NoteMarker();
}
