using System.Text;
using System.Text.RegularExpressions;

namespace BookBytes.Documents.Pdf;

/// <summary>
/// Turns laid-out lines into paragraphs to be read aloud: a paragraph ends at a larger vertical gap than the
/// text's usual line spacing or before an indented line; words hyphenated across a line end are joined; note
/// markers such as <c>[12]</c>, soft hyphens and extra whitespace are removed.
/// </summary>
internal static partial class PdfParagraphs
{
    public static List<string> Build(IReadOnlyList<PdfLine> lines)
    {
        var paragraphs = new List<string>();
        if (lines.Count == 0)
        {
            return paragraphs;
        }

        var spacing = ModalSpacing(lines);
        var margins = lines.GroupBy(l => l.Page).ToDictionary(g => g.Key, g => Modal(g.Select(l => l.Left)));
        var current = new StringBuilder();
        PdfLine? previous = null;
        foreach (var line in lines)
        {
            if (previous is not null && StartsParagraph(previous, line, spacing, margins))
            {
                Flush(current, paragraphs);
            }

            Append(current, line.Text);
            previous = line;
        }

        Flush(current, paragraphs);
        return paragraphs;
    }

    /// <summary>Cleans one paragraph's text: soft hyphens, note markers and whitespace.</summary>
    public static string Clean(string text)
    {
        var cleaned = text.Replace("\u00AD", string.Empty, StringComparison.Ordinal);
        cleaned = NoteMarker().Replace(cleaned, string.Empty);
        cleaned = Whitespace().Replace(cleaned, " ").Trim();
        return SpaceBeforePunctuation().Replace(cleaned, "$1");
    }

    /// <summary>Appends a line to a paragraph, undoing hyphenation at the line end.</summary>
    public static void Append(StringBuilder paragraph, string line)
    {
        line = line.Trim();
        if (line.Length == 0)
        {
            return;
        }

        if (paragraph.Length == 0)
        {
            paragraph.Append(line);
            return;
        }

        var last = paragraph[^1];
        if (last == '\u00AD')
        {
            paragraph.Length--;
            paragraph.Append(line);
        }
        else if (last == '-' && paragraph.Length >= 2 && char.IsLetter(paragraph[^2]) && char.IsLower(line[0]))
        {
            // "infor-" + "mation": a word broken at the margin.
            paragraph.Length--;
            paragraph.Append(line);
        }
        else if (last == '-' && paragraph.Length >= 2 && char.IsLetter(paragraph[^2]))
        {
            // A capital after the hyphen ("Anglo-" + "Saxon") is a compound's own hyphen.
            paragraph.Append(line);
        }
        else
        {
            paragraph.Append(' ').Append(line);
        }
    }

    private static bool StartsParagraph(PdfLine previous, PdfLine line, double spacing, Dictionary<int, double> margins)
    {
        var indented = line.Left > margins[line.Page] + (0.8 * line.FontSize);
        if (line.Page != previous.Page)
        {
            // A paragraph runs on over the page break unless the new page starts one or the old one ended a sentence.
            return indented || EndsSentence().IsMatch(previous.Text);
        }

        var gap = previous.Baseline - line.Baseline;
        return indented || gap > spacing * 1.4 || gap < 0;
    }

    private static double ModalSpacing(IReadOnlyList<PdfLine> lines)
    {
        var gaps = new List<double>();
        for (var i = 1; i < lines.Count; i++)
        {
            var gap = lines[i - 1].Baseline - lines[i].Baseline;
            if (lines[i].Page == lines[i - 1].Page && gap > 0)
            {
                gaps.Add(gap);
            }
        }

        return gaps.Count == 0 ? lines.Max(l => l.FontSize) * 1.2 : Modal(gaps);
    }

    /// <summary>The most common value, rounded to half a point; the smallest among equals.</summary>
    public static double Modal(IEnumerable<double> values)
        => values.GroupBy(v => Math.Round(v * 2) / 2).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;

    private static void Flush(StringBuilder current, List<string> paragraphs)
    {
        var text = Clean(current.ToString());
        if (text.Length > 0)
        {
            paragraphs.Add(text);
        }

        current.Clear();
    }

    [GeneratedRegex(@"\[\d{1,4}(?:\s*[,–-]\s*\d{1,4})*\]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NoteMarker();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\s+([.,;:!?])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex SpaceBeforePunctuation();

    [GeneratedRegex(@"[.!?:][""”’)]?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex EndsSentence();
}
