using System.Collections.Frozen;
using System.Text;

namespace BookBytes.Providers.Local.Summaries;

/// <summary>
/// Cuts a text into paragraphs (at blank lines) and the paragraphs into sentences. A sentence ends at <c>.</c>, <c>!</c>,
/// <c>?</c>, <c>…</c> (or a run of them, and <c>。！？</c>) followed, after any closing quotes or brackets, by white space
/// or the paragraph's end — except after a known abbreviation (<c>Mr.</c>, <c>e.g.</c>, <c>z. B.</c>), after a single
/// letter (initials such as <c>J. R. R.</c>), and when the next word starts with a lower-case letter (an abbreviation not
/// listed, or <c>“Help!” she cried</c>). A decimal point (<c>3.14</c>) has no white space after it and ends nothing.
/// A sentence longer than <see cref="MaxSentenceCharacters"/> is cut at the last white space before that length (or at
/// that length when it has none), so hostile input without punctuation still gives sentences of bounded size.
/// Linear in the text's length. Stateless and thread-safe.
/// </summary>
internal static class SentenceSplitter
{
    /// <summary>The longest sentence kept whole, in characters.</summary>
    public const int MaxSentenceCharacters = 1_500;

    // The longest abbreviation looked for before a full stop: bounds the look-back on hostile input.
    private const int MaxAbbreviationLength = 8;

    // Lower-case, without the final full stop; compared ordinally.
    private static readonly FrozenSet<string> Abbreviations = new[]
    {
        "mr", "mrs", "ms", "dr", "st", "prof", "sr", "jr", "mt", "capt", "col", "gen", "lt", "sgt", "rev", "fig", "vol",
        "vs", "cf", "approx", "ca", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k",
        "bzw", "usw", "vgl", "ggf", "evtl", "nr", "str", "hr", "fr", "bd", "z.b", "d.h", "u.a", "s.o",
        "mme", "mlle", "sra", "srta", "dra", "sig", "dott", "ecc", "blz",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Splits a text into its sentences, in order.</summary>
    /// <param name="text">Paragraphs separated by blank lines; single line breaks inside a paragraph are spaces.</param>
    /// <param name="cancellationToken">A token that cancels the split.</param>
    /// <returns>The sentences, each with its paragraph; empty for a text without any.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static List<Sentence> Split(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<Sentence>();
        var paragraph = 0;
        foreach (var block in Paragraphs(text))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var before = sentences.Count;
            SplitParagraph(block, paragraph, sentences, cancellationToken);
            if (sentences.Count > before)
            {
                paragraph++;
            }
        }

        return sentences;
    }

    /// <summary>The paragraphs of a text, white space collapsed; blank paragraphs are left out.</summary>
    private static IEnumerable<string> Paragraphs(string text)
    {
        var current = new StringBuilder();
        var pendingSpace = false;
        var newlines = 0;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                newlines++;
                pendingSpace = true;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            if (newlines >= 2 && current.Length > 0)
            {
                yield return current.ToString();
                current.Clear();
                pendingSpace = false;
            }

            if (pendingSpace && current.Length > 0)
            {
                current.Append(' ');
            }

            pendingSpace = false;
            newlines = 0;
            current.Append(c);
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    private static void SplitParagraph(string paragraph, int index, List<Sentence> sentences, CancellationToken cancellationToken)
    {
        var start = 0;
        var i = 0;
        while (i < paragraph.Length)
        {
            if ((i & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (!IsTerminator(paragraph[i]))
            {
                i++;
                continue;
            }

            var terminator = i;
            var end = i;
            while (end < paragraph.Length && IsTerminator(paragraph[end]))
            {
                end++;
            }

            while (end < paragraph.Length && IsClosing(paragraph[end]))
            {
                end++;
            }

            // end is just past the sentence's last character.
            if (EndsSentence(paragraph, terminator, end))
            {
                Add(paragraph, start, end, index, sentences);
                start = end;
            }

            i = end;
        }

        Add(paragraph, start, paragraph.Length, index, sentences);
    }

    private static bool EndsSentence(string paragraph, int terminator, int end)
    {
        if (paragraph[terminator] is '。' or '！' or '？')
        {
            return true; // written without a space after it
        }

        if (end < paragraph.Length && paragraph[end] != ' ')
        {
            return false; // 3.14, e.g, a URL, "Yes!Now"
        }

        var next = end + 1;
        while (next < paragraph.Length && IsOpening(paragraph[next]))
        {
            next++;
        }

        if (next < paragraph.Length && char.IsLower(paragraph[next]))
        {
            return false; // a lower-case word goes on the same sentence: an abbreviation, or “Help!” she cried.
        }

        if (end >= paragraph.Length || paragraph[terminator] != '.' || (terminator + 1 < paragraph.Length && IsTerminator(paragraph[terminator + 1])))
        {
            return true; // the paragraph's end, !, ?, …, or ...
        }

        return !IsAbbreviation(paragraph, terminator);
    }

    /// <summary>Whether the word before the full stop at <paramref name="dot"/> is an abbreviation or an initial.</summary>
    private static bool IsAbbreviation(string paragraph, int dot)
    {
        var start = dot;
        while (start > 0 && paragraph[start - 1] != ' ' && dot - start < MaxAbbreviationLength + 1)
        {
            start--;
        }

        if (start > 0 && paragraph[start - 1] != ' ')
        {
            return false; // longer than any abbreviation
        }

        while (start < dot && IsOpening(paragraph[start]))
        {
            start++;
        }

        var word = paragraph.AsSpan(start, dot - start);
        if (word.Length == 1 && char.IsLetter(word[0]))
        {
            return word[0] != 'I'; // an initial (J. R. R. Tolkien, z. B.), but not the English "I" ending a sentence
        }

        return word.Length > 0 && Abbreviations.Contains(word.ToString().ToLowerInvariant());
    }

    private static void Add(string paragraph, int start, int end, int index, List<Sentence> sentences)
    {
        while (start < end && paragraph[start] == ' ')
        {
            start++;
        }

        while (end > start && paragraph[end - 1] == ' ')
        {
            end--;
        }

        while (end - start > MaxSentenceCharacters)
        {
            var cut = paragraph.LastIndexOf(' ', start + MaxSentenceCharacters, MaxSentenceCharacters);
            var length = cut > start ? cut - start : MaxSentenceCharacters;
            sentences.Add(new Sentence(paragraph.Substring(start, length), index));
            start += length;
            while (start < end && paragraph[start] == ' ')
            {
                start++;
            }
        }

        if (end > start)
        {
            sentences.Add(new Sentence(paragraph[start..end], index));
        }
    }

    private static bool IsTerminator(char c) => c is '.' or '!' or '?' or '…' or '。' or '！' or '？';

    private static bool IsClosing(char c) => c is '"' or '\'' or '”' or '’' or '»' or '›' or '«' or ')' or ']' or '}';

    private static bool IsOpening(char c) => c is '"' or '\'' or '“' or '‘' or '„' or '«' or '»' or '(' or '[' or '{' or '¿' or '¡';
}
