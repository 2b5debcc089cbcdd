using System.Globalization;
using System.Text;

namespace BookBytes.Pipeline.Text;

/// <summary>
/// Splits text for text-to-speech into chunks no longer than a limit, at paragraph boundaries first,
/// then at sentence boundaries, then (for a single over-long sentence) at clause punctuation or
/// spaces. A word is never split unless it alone is longer than the limit.
/// </summary>
/// <remarks>
/// Sentence ends are <c>. ! ? …</c> (with any closing quotes or brackets) followed by white space and
/// a word that starts with an upper-case letter, digit or opening quote; abbreviations
/// (<c>Mr.</c>, <c>e.g.</c>, <c>U.S.</c>, initials) and decimals (<c>3.14</c>) are not ends. In Chinese
/// and Japanese, <c>。！？</c> end a sentence and <c>，、；：</c> a clause, with no space after them. A cut
/// never separates a surrogate pair or a letter from its combining marks. Stateless and thread-safe.
/// </remarks>
public static class TextChunker
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "cf", "no", "nos", "vol",
        "fig", "p", "pp", "inc", "ltd", "co", "corp", "mt", "u.s", "u.k", "u.n", "a.m", "p.m", "ph.d", "approx",
        "dept", "est", "gen", "gov", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "ch", "ed", "eds", "rev", "col", "lt", "sgt", "capt", "cmdr", "rep", "sen", "op", "al",
    };

    /// <summary>Splits text into chunks of at most <paramref name="maxCharacters"/> characters.</summary>
    /// <param name="text">The text; paragraphs are separated by blank lines.</param>
    /// <param name="maxCharacters">The longest chunk, in characters.</param>
    /// <returns>The chunks in order, trimmed, none empty; paragraphs inside a chunk stay separated by a blank line.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCharacters"/> is below 1.</exception>
    public static IReadOnlyList<string> Split(string text, int maxCharacters)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCharacters, 1);

        var chunks = new List<string>();
        var current = new StringBuilder();

        void Flush()
        {
            if (current.Length > 0)
            {
                chunks.Add(current.ToString());
                current.Clear();
            }
        }

        void Add(string piece, string separator)
        {
            if (current.Length > 0 && current.Length + separator.Length + piece.Length > maxCharacters)
            {
                Flush();
            }

            if (current.Length > 0)
            {
                current.Append(separator);
            }

            current.Append(piece);
        }

        foreach (var paragraph in Paragraphs(text))
        {
            if (paragraph.Length <= maxCharacters)
            {
                Add(paragraph, "\n\n");
                continue;
            }

            var first = true;
            foreach (var sentence in Sentences(paragraph))
            {
                foreach (var piece in sentence.Length <= maxCharacters ? [sentence] : SplitLongSentence(sentence, maxCharacters))
                {
                    Add(piece, first ? "\n\n" : " ");
                    first = false;
                }
            }
        }

        Flush();
        return chunks;
    }

    /// <summary>Splits a paragraph into sentences, keeping each sentence's closing punctuation and quotes.</summary>
    /// <param name="paragraph">One paragraph.</param>
    /// <returns>The sentences, trimmed.</returns>
    internal static IEnumerable<string> Sentences(string paragraph)
        => SentenceSpans(paragraph).Select(span => paragraph[span.Start..span.End].Trim()).Where(sentence => sentence.Length > 0);

    /// <summary>
    /// Where a paragraph's sentences lie, untrimmed: every sentence but the last is known to have ended (the next one has
    /// begun); the last runs to the paragraph's end.
    /// </summary>
    private static IEnumerable<(int Start, int End)> SentenceSpans(string paragraph)
    {
        var start = 0;
        for (var i = 0; i < paragraph.Length; i++)
        {
            var c = paragraph[i];
            if (c is '。' or '！' or '？' or '｡')
            {
                // Chinese and Japanese sentences end here, closing brackets included; no space follows.
                var close = i + 1;
                while (close < paragraph.Length && paragraph[close] is '。' or '！' or '？' or '」' or '』' or '”' or '’' or '）' or '】' or '〕' or '》' or '〉')
                {
                    close++;
                }

                if (close >= paragraph.Length)
                {
                    break;
                }

                yield return (start, close);
                start = close;
                i = close - 1;
                continue;
            }

            if (c is not ('.' or '!' or '?' or '…'))
            {
                continue;
            }

            var end = i + 1;
            while (end < paragraph.Length && paragraph[end] is '.' or '!' or '?' or '…' or '"' or '\'' or '”' or '’' or ')' or ']' or '»')
            {
                end++;
            }

            if (end >= paragraph.Length)
            {
                break;
            }

            if (!char.IsWhiteSpace(paragraph[end]))
            {
                i = end - 1;
                continue;
            }

            var next = end;
            while (next < paragraph.Length && char.IsWhiteSpace(paragraph[next]))
            {
                next++;
            }

            if (next < paragraph.Length && StartsSentence(paragraph[next]) && !(c == '.' && IsAbbreviation(paragraph, i)))
            {
                yield return (start, end);
                start = next;
            }

            i = next - 1;
        }

        yield return (start, paragraph.Length);
    }

    /// <summary>
    /// Where the sentences and paragraphs of text still being written are known to end: after each sentence another has
    /// begun, after each paragraph a blank line came. With <paramref name="final"/> the text is whole and its end is one too.
    /// </summary>
    /// <param name="text">The text so far, as written (any line breaks).</param>
    /// <param name="final">Whether no more text follows.</param>
    /// <returns>The ends, increasing, each just after a unit's last character (white space after it not included).</returns>
    internal static List<int> UnitEnds(string text, bool final)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ends = new List<int>();
        var at = 0;
        while (at < text.Length)
        {
            var blank = BlankLine(text, at);
            var paragraphEnd = blank < 0 ? text.Length : blank;
            var confirmed = blank >= 0 || final;
            var paragraph = text[at..paragraphEnd];
            var spans = SentenceSpans(paragraph).ToList();
            for (var i = 0; i < spans.Count; i++)
            {
                if (i == spans.Count - 1 && !confirmed)
                {
                    break;
                }

                var end = spans[i].End;
                while (end > spans[i].Start && char.IsWhiteSpace(paragraph[end - 1]))
                {
                    end--;
                }

                if (end > spans[i].Start)
                {
                    ends.Add(at + end);
                }
            }

            if (blank < 0)
            {
                break;
            }

            at = blank;
            while (at < text.Length && char.IsWhiteSpace(text[at]))
            {
                at++;
            }
        }

        return ends;
    }

    /// <summary>The first piece of a sentence longer than <paramref name="maxCharacters"/>, cut as <see cref="Split"/> cuts it: where it ends in <paramref name="text"/>.</summary>
    /// <param name="text">Text whose first sentence is too long.</param>
    /// <param name="maxCharacters">The longest chunk.</param>
    /// <returns>The end of the piece in <paramref name="text"/>.</returns>
    internal static int LongSentenceCut(string text, int maxCharacters)
    {
        var leading = text.Length - text.TrimStart().Length;
        var piece = SplitLongSentence(text, maxCharacters)[0];
        var found = text.IndexOf(piece, leading, StringComparison.Ordinal);
        return found < 0 ? leading + LastTextElementBoundary(text.AsSpan(leading), maxCharacters) : found + piece.Length;
    }

    // The start of the first blank line (a line break, white space, a line break) at or after `from`; -1 when none.
    private static int BlankLine(string text, int from)
    {
        for (var i = text.IndexOf('\n', from); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            var j = i + 1;
            while (j < text.Length && text[j] is ' ' or '\t' or '\r')
            {
                j++;
            }

            if (j < text.Length && text[j] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private static IEnumerable<string> Paragraphs(string text)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var paragraph = new StringBuilder();
        foreach (var rawLine in normalized.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                if (paragraph.Length > 0)
                {
                    yield return paragraph.ToString();
                    paragraph.Clear();
                }

                continue;
            }

            if (paragraph.Length > 0)
            {
                paragraph.Append(' ');
            }

            paragraph.Append(line);
        }

        if (paragraph.Length > 0)
        {
            yield return paragraph.ToString();
        }
    }

    private static bool StartsSentence(char c) =>
        char.IsUpper(c) || char.IsDigit(c) || c is '"' or '\'' or '“' or '‘' or '(' or '[' or '«' or '¿' or '¡' || !char.IsLetter(c) && !char.IsPunctuation(c);

    private static bool IsAbbreviation(string text, int dot)
    {
        var wordStart = dot;
        while (wordStart > 0 && !char.IsWhiteSpace(text[wordStart - 1]) && text[wordStart - 1] is not ('(' or '"' or '“'))
        {
            wordStart--;
        }

        var word = text.AsSpan(wordStart, dot - wordStart);
        if (word.Length == 0)
        {
            return false;
        }

        // A lone capital is an initial: "J. R. R. Tolkien".
        if (word.Length == 1 && char.IsUpper(word[0]))
        {
            return true;
        }

        return Abbreviations.Contains(word.ToString());
    }

    private static List<string> SplitLongSentence(string sentence, int maxCharacters)
    {
        var pieces = new List<string>();
        var rest = sentence.AsSpan().Trim();
        while (rest.Length > maxCharacters)
        {
            var window = rest[..(maxCharacters + 1)];
            var cut = LastClauseBreak(window[..maxCharacters]);
            if (cut <= 0)
            {
                // No clause punctuation: cut at the last space that fits, so no word is split; without one
                // (a single huge word, or a script written without spaces) at the last whole character.
                var space = window.LastIndexOf(' ');
                cut = space > 0 ? space : LastTextElementBoundary(rest, maxCharacters);
            }

            pieces.Add(rest[..cut].Trim().ToString());
            rest = rest[cut..].Trim();
        }

        if (rest.Length > 0)
        {
            pieces.Add(rest.ToString());
        }

        return pieces;
    }

    private static int LastClauseBreak(ReadOnlySpan<char> window)
    {
        // Cut after ", ; : — –" when followed by a space, or after the Chinese and Japanese "，、；：" (no
        // space follows those), and not too early (keep chunks substantial).
        for (var i = window.Length - 2; i >= window.Length / 3; i--)
        {
            if ((window[i] is ',' or ';' or ':' or '—' or '–' && window[i + 1] == ' ') || window[i] is '，' or '、' or '；' or '：')
            {
                return i + 1;
            }
        }

        return -1;
    }

    /// <summary>
    /// The last boundary between whole characters (text elements) at or before <paramref name="limit"/>, so a
    /// cut never separates a surrogate pair or a letter from its combining marks; at least one element.
    /// </summary>
    private static int LastTextElementBoundary(ReadOnlySpan<char> text, int limit)
    {
        var boundary = 0;
        while (boundary < text.Length)
        {
            var next = boundary + StringInfo.GetNextTextElementLength(text[boundary..]);
            if (next > limit && boundary > 0)
            {
                break;
            }

            boundary = next;
        }

        return boundary;
    }
}
