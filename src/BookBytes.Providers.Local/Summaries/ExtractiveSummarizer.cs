using System.Text;
using BookBytes.Internal.Text;

namespace BookBytes.Providers.Local.Summaries;

/// <summary>
/// An extractive summary: the text's sentences ranked by <see cref="TextRank"/>, the best taken while they fit the target
/// length, and put back in their original order. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// Length: the sentences are tried best first; one that would take the summary over the target is skipped and the next
/// ones are still tried, so the summary fills its target closely (the pipeline refuses a summary under half its target)
/// and never exceeds it. When that leaves the summary under half its target (every sentence left is longer than what is
/// left of the target — at the extreme, not one sentence fits), the best sentence left is cut at the last word boundary
/// within the rest of the target and ends with <c>…</c>: every summary has at least one sentence, at most the target's
/// words, and at least half of them when the text has that many.
/// </para>
/// <para>
/// Bounds: at most <see cref="MaxSentences"/> sentences are ranked — more are sampled evenly across the text (sentence
/// <c>⌊k · n / MaxSentences⌋</c> for k = 0, 1, …), so a long text's end is as present as its beginning, and only sampled
/// sentences can be chosen. The graph is O(n²) at worst: with n bounded and sentences at most
/// <see cref="SentenceSplitter.MaxSentenceCharacters"/> long, so is the work.
/// </para>
/// <para>Ties (equal scores, such as sentences sharing no term with any other) go to the earlier sentence.</para>
/// <para>
/// Sentences are made <see cref="Speakable"/> before they are ranked, and one without a letter is never chosen, so a
/// summary of Markdown-like text has no heading, list or emphasis line (which the pipeline refuses, and would refuse
/// again on every retry of a deterministic summariser).
/// </para>
/// </remarks>
internal static class ExtractiveSummarizer
{
    /// <summary>The most sentences ranked in one call.</summary>
    public const int MaxSentences = 2_000;

    /// <summary>Summarises a text.</summary>
    /// <param name="text">Paragraphs separated by blank lines.</param>
    /// <param name="language">The text's language (BCP 47), which chooses the stop words.</param>
    /// <param name="words">The target length, in words.</param>
    /// <param name="cancellationToken">A token that cancels the work.</param>
    /// <returns>The summary; its text is empty when <paramref name="text"/> has no words.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="words"/> is less than 1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ExtractiveResult Summarize(string text, string? language, int words, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(words, 1);
        var all = SentenceSplitter.Split(text, cancellationToken);
        var sentences = Sample(all).Select(s => s with { Text = Speakable(s.Text) }).ToList();
        var scores = TextRank.Rank([.. sentences.Select(s => s.Text)], StopWords.For(language), cancellationToken);
        var order = Enumerable.Range(0, sentences.Count).ToArray();
        Array.Sort(order, (a, b) => scores[a] != scores[b] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));

        // A sentence without a letter ("1.", "***") says nothing: it is never chosen.
        var lengths = sentences.Select(s => s.Text.Any(char.IsLetter) ? CountWords(s.Text) : 0).ToArray();
        var chosen = new List<int>();
        var total = 0;
        foreach (var index in order)
        {
            if (lengths[index] > 0 && total + lengths[index] <= words)
            {
                chosen.Add(index);
                total += lengths[index];
                if (total == words)
                {
                    break;
                }
            }
        }

        // Under half the target (the pipeline's floor) only when every sentence left is longer than what is left of it:
        // the best of them, cut at a word boundary, fills the rest.
        string? cut = null;
        var cutIndex = -1;
        if (total < Math.Max(1, (words + 1) / 2))
        {
            cutIndex = order.FirstOrDefault(i => lengths[i] > 0 && !chosen.Contains(i), -1);
            if (cutIndex >= 0)
            {
                cut = Cut(sentences[cutIndex].Text, words - total);
                chosen.Add(cutIndex);
                total += CountWords(cut);
            }
        }

        if (chosen.Count == 0)
        {
            return new ExtractiveResult(string.Empty, all.Count, sentences.Count, 0, 0);
        }

        chosen.Sort();
        var summary = new StringBuilder();
        for (var k = 0; k < chosen.Count; k++)
        {
            var sentence = sentences[chosen[k]];
            if (k > 0)
            {
                summary.Append(sentences[chosen[k - 1]].Paragraph == sentence.Paragraph ? " " : "\n\n");
            }

            summary.Append(chosen[k] == cutIndex ? cut : sentence.Text);
        }

        return new ExtractiveResult(summary.ToString(), all.Count, sentences.Count, chosen.Count, total);
    }

    /// <summary>
    /// Counts words as the pipeline checks a summary's length (the shared <see cref="WordCounter"/>): runs between white space
    /// that hold a letter or digit, and in scripts written without spaces two words per three ideographs or one per four
    /// Thai, Lao, Khmer or Myanmar letters.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The words.</returns>
    public static int CountWords(string text) => WordCounter.Count(text);

    /// <summary>
    /// A sentence as it is spoken: without a leading Markdown heading, list or numbered-item marker and without emphasis
    /// markers, which mean nothing read aloud (and which the pipeline refuses in a summary).
    /// </summary>
    /// <param name="sentence">The sentence.</param>
    /// <returns>The sentence without the markers; white space trimmed.</returns>
    internal static string Speakable(string sentence)
    {
        var text = sentence.Replace("**", string.Empty, StringComparison.Ordinal).Replace("__", string.Empty, StringComparison.Ordinal).Trim();
        while (true)
        {
            var start = 0;
            if (text.StartsWith('#'))
            {
                start = text.AsSpan().IndexOfAnyExcept('#');
            }
            else if (text.Length > 1 && text[0] is '-' or '*' or '+' && text[1] == ' ')
            {
                start = 1;
            }
            else
            {
                var digits = 0;
                while (digits < text.Length && digits < 4 && char.IsAsciiDigit(text[digits]))
                {
                    digits++;
                }

                if (digits is > 0 and < 4 && text.Length > digits + 1 && text[digits] is '.' or ')' && text[digits + 1] == ' ')
                {
                    start = digits + 1;
                }
            }

            if (start <= 0)
            {
                return text;
            }

            text = text[start..].TrimStart();
        }
    }

    /// <summary>The sentences ranked: all of them, or <see cref="MaxSentences"/> sampled evenly across the text.</summary>
    /// <param name="sentences">The text's sentences.</param>
    /// <returns>The sentences to rank, in order.</returns>
    internal static List<Sentence> Sample(List<Sentence> sentences)
    {
        if (sentences.Count <= MaxSentences)
        {
            return sentences;
        }

        var sampled = new List<Sentence>(MaxSentences);
        for (long k = 0; k < MaxSentences; k++)
        {
            sampled.Add(sentences[(int)(k * sentences.Count / MaxSentences)]);
        }

        return sampled;
    }

    /// <summary>
    /// The longest start of a sentence longer than <paramref name="words"/> words that has at most that many (as
    /// <see cref="CountWords"/> counts), cut at white space when the sentence has any there, else between characters
    /// (scripts written without spaces), ending with an ellipsis.
    /// </summary>
    private static string Cut(string sentence, int words)
    {
        // The count of a prefix never falls as it grows: the longest prefix within the bound, at whole characters (a sentence
        // is at most 1,500 characters and is cut once per summary, so counting each prefix again is cheap enough).
        var low = 0;
        for (var i = 1; i <= sentence.Length; i++)
        {
            if (i < sentence.Length && char.IsLowSurrogate(sentence[i]))
            {
                continue;
            }

            if (CountWords(sentence[..i]) > words)
            {
                break;
            }

            low = i;
        }

        if (low >= sentence.Length)
        {
            return sentence;
        }

        // A spaced script is cut before the word the bound leaves out, not inside it.
        var space = sentence.LastIndexOf(' ', low);
        var end = space > 0 && low - space <= 40 && !char.IsWhiteSpace(sentence[low]) ? space : low;
        return sentence[..end].TrimEnd().TrimEnd(',', ';', ':', '-', '–', '—', '、', '，') + "…";
    }
}
