using System.Text;
using System.Text.RegularExpressions;

namespace BookBytes.Documents.PlainText;

/// <summary>
/// How heading titles are written: a title in capitals becomes title case ("THE BEGINNING" → "The Beginning";
/// small words such as "of" and "the" lower case except first; roman numerals stay capitals); a mixed-case title
/// is kept as written.
/// </summary>
internal static partial class HeadingCase
{
    private static readonly HashSet<string> Small = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on", "or", "the", "to", "with",
    };

    /// <summary>Title-cases text in capitals; other text comes back as it is.</summary>
    public static string Title(string text)
    {
        if (text.Any(char.IsLower))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var first = true;
        foreach (var token in Token().EnumerateMatches(text))
        {
            var word = text.Substring(token.Index, token.Length);
            if (!word.Any(char.IsLetter))
            {
                builder.Append(word);
                continue;
            }

            builder.Append(Roman().IsMatch(word) && word.Length > 1 ? word
                : !first && Small.Contains(word) ? word.ToLowerInvariant()
                : Word(word));
            first = false;
        }

        return builder.ToString();
    }

    /// <summary>One word with a capital first letter and the rest lower case ("CHAPTER" → "Chapter"), each hyphenated part alike.</summary>
    public static string Word(string word)
        => string.Join('-', word.Split('-').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..].ToLowerInvariant()));

    /// <summary>A chapter number as written: roman numerals in capitals, number words title-cased ("TWENTY-ONE" → "Twenty-One", "THE FIRST" → "the First").</summary>
    public static string Number(string number)
    {
        if (number.Length > 0 && char.IsDigit(number[0]))
        {
            return number;
        }

        if (Roman().IsMatch(number))
        {
            return number.ToUpperInvariant();
        }

        var words = number.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Select(w => w.Equals("the", StringComparison.OrdinalIgnoreCase) ? "the" : Word(w)));
    }

    /// <summary>A subtitle cleaned for joining: title case when in capitals, a closing full stop dropped.</summary>
    public static string Subtitle(string subtitle)
    {
        var text = subtitle.Trim();
        if (text.EndsWith('.') && !text.EndsWith("..", StringComparison.Ordinal))
        {
            text = text[..^1].TrimEnd();
        }

        return Title(text);
    }

    /// <summary>Joins a label and a subtitle: "Chapter I." + "The Beginning" → "Chapter I. The Beginning"; "Chapter 12" + "The End" → "Chapter 12: The End".</summary>
    public static string JoinSubtitle(string label, string subtitle)
        => subtitle.Length == 0 ? label.TrimEnd('.', ':')
            : label.EndsWith('.') || label.EndsWith(':') ? label + " " + subtitle
            : label + ": " + subtitle;

    [GeneratedRegex(@"\S+|\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Token();

    [GeneratedRegex(@"^M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})[.,:;]?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Roman();
}
