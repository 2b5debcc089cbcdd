using System.Globalization;
using System.Text;

namespace BookBytes.Packaging.Ffmpeg;

/// <summary>Makes untrusted text (a catalog's or a document's) a safe tag value: one line, no control characters, bounded.</summary>
internal static class TagText
{
    /// <summary>The longest title (the book's or a chapter's), in UTF-16 code units.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>The longest other value.</summary>
    public const int MaxLength = 500;

    /// <summary>
    /// Control characters, line and paragraph separators become spaces and runs of white space one space; the result is
    /// trimmed and cut to <paramref name="maxLength"/> (never inside a surrogate pair). Trailing backslashes are dropped:
    /// ffmpeg 5.1's FFMETADATA reader takes an escaped backslash at the end of a line for a line continuation, which would
    /// join the next key to the value.
    /// </summary>
    /// <returns>The clean value; empty when nothing printable is left.</returns>
    public static string Clean(string? value, int maxLength = MaxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var text = new StringBuilder(Math.Min(value.Length, maxLength + 1));
        var space = false;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                space = text.Length > 0;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            if (text.Length >= maxLength)
            {
                break;
            }

            text.Append(c);
        }

        if (text.Length > maxLength)
        {
            text.Length = maxLength;
        }

        if (text.Length > 0 && char.IsHighSurrogate(text[^1]))
        {
            text.Length--;
        }

        var length = text.Length;
        while (length > 0 && (text[length - 1] == '\\' || text[length - 1] == ' '))
        {
            length--;
        }

        text.Length = length;
        return text.ToString();
    }
}
