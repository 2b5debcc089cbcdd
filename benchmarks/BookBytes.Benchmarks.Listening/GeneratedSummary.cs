using System.Text;
using System.Text.Json;

namespace BookBytes.Benchmarks.Listening;

/// <summary>
/// A chapter summary the stand-in writes: plain paragraphs separated by a blank line, made of generated sentences.
/// <see cref="Content"/> is the structured-output JSON the model answers, <c>{"summary":"…"}</c>.
/// </summary>
internal sealed record GeneratedSummary(int Book, int Chapter, string Text, IReadOnlyList<string> Sentences, int Words)
{
    public string Content { get; } = JsonSerializer.Serialize(new { summary = Text });

    public string FirstSentence => Sentences[0];

    public string LastSentence => Sentences[^1];

    /// <summary>Characters of <see cref="Content"/> up to the end of the first sentence (the opening <c>{"summary":"</c> included).</summary>
    public int ContentUpToFirstSentence => Content.IndexOf(FirstSentence, StringComparison.Ordinal) + FirstSentence.Length;

    /// <summary>
    /// A deterministic summary of exactly <paramref name="words"/> words (at least 20). It opens by naming the book and the
    /// chapter, as the prompt asks; the rest is invented words (two or three syllables) and common English words, half each (about 6.3 characters a word with its space), in
    /// sentences of 3 to 27 words (most 8–16, some short, some long) and paragraphs of 4 to 7 sentences.
    /// </summary>
    public static GeneratedSummary Write(int book, int chapter, string bookTitle, string author, string chapterTitle, int words)
    {
        var random = new Random((book * 7919) + (chapter * 104_729) + words);
        var sentences = new List<string> { $"This is chapter {chapter} of {bookTitle} by {author}, called {chapterTitle}." };
        var left = Math.Max(20, words) - CountWords(sentences[0]);
        var text = new StringBuilder(sentences[0]);
        var inParagraph = 1;
        var paragraphLength = random.Next(4, 8);
        while (left > 0)
        {
            var length = Math.Min(left, SentenceLength(random));
            if (left - length is > 0 and < 3)
            {
                length = left;
            }

            var sentence = Sentence(random, length);
            sentences.Add(sentence);
            left -= length;
            if (inParagraph == paragraphLength)
            {
                text.Append("\n\n");
                inParagraph = 0;
                paragraphLength = random.Next(4, 8);
            }
            else
            {
                text.Append(' ');
            }

            text.Append(sentence);
            inParagraph++;
        }

        return new GeneratedSummary(book, chapter, text.ToString(), sentences, Math.Max(20, words));
    }

    private static readonly string[] Common =
    [
        "the", "a", "of", "and", "to", "in", "that", "it", "with", "as", "for", "on", "by", "from", "this", "each", "every",
        "when", "where", "which", "because", "after", "before", "while", "their", "its", "more", "than", "most", "some",
        "is", "was", "are", "has", "had", "shows", "makes", "keeps", "turns", "finds", "holds", "brings", "leaves",
    ];

    private static readonly string[] Onsets = ["b", "br", "d", "f", "g", "gl", "k", "l", "m", "n", "p", "pr", "r", "s", "st", "t", "tr", "v", "w", "z"];
    private static readonly string[] Nuclei = ["a", "e", "i", "o", "u", "ai", "ea", "ou"];
    private static readonly string[] Codas = ["", "", "", "n", "r", "s", "l", "th", "m"];

    private static int SentenceLength(Random random) => random.Next(10) switch
    {
        0 => random.Next(3, 7),
        9 => random.Next(18, 28),
        _ => random.Next(8, 17),
    };

    private static string Sentence(Random random, int length)
    {
        var sentence = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            var word = random.Next(2) == 0 ? Common[random.Next(Common.Length)] : Invented(random);
            if (i == 0)
            {
                sentence.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
            }
            else
            {
                sentence.Append(' ').Append(word);
            }

            if (i > 2 && i < length - 3 && random.Next(9) == 0)
            {
                sentence.Append(',');
            }
        }

        return sentence.Append('.').ToString();
    }

    private static string Invented(Random random)
    {
        var word = new StringBuilder();
        var syllables = random.Next(2, 4);
        for (var s = 0; s < syllables; s++)
        {
            word.Append(Onsets[random.Next(Onsets.Length)]).Append(Nuclei[random.Next(Nuclei.Length)]);
        }

        return word.Append(Codas[random.Next(Codas.Length)]).ToString();
    }

    private static int CountWords(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}
