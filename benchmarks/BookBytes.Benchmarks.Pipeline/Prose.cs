using System.Text;
using BookBytes.Documents;

namespace BookBytes.Benchmarks.Pipeline;

/// <summary>
/// Generated prose: pronounceable invented words of 2–8 letters (about 6 characters a word with its space and
/// punctuation), sentences of 5–30 words, paragraphs of about 100 words. Deterministic for a seed; no book's text.
/// </summary>
internal static class Prose
{
    private const string Consonants = "bcdfghklmnprstvwz";
    private const string Vowels = "aeiou";

    /// <summary>A book of <paramref name="chapters"/> body chapters of exactly <paramref name="wordsPerChapter"/> words each.</summary>
    public static BookDocument Book(int chapters, int wordsPerChapter) => new()
    {
        Title = $"Benchmark Book of {chapters} Chapters",
        Authors = ["A. Author"],
        Language = "en",
        Chapters = [.. Enumerable.Range(1, chapters).Select(n => new DocumentChapter(n, $"Chapter {n}", 0, ChapterKind.Body, Paragraphs(new Random(n), wordsPerChapter)))],
    };

    /// <summary>Plain prose of exactly <paramref name="words"/> words in paragraphs separated by blank lines, as a model's summary would be.</summary>
    public static string Text(int seed, int words) => string.Join("\n\n", Paragraphs(new Random(seed), words));

    private static List<string> Paragraphs(Random random, int words)
    {
        var paragraphs = new List<string>();
        var left = words;
        while (left > 0)
        {
            var paragraph = new StringBuilder();
            var target = Math.Min(left, random.Next(80, 121));
            var written = 0;
            while (written < target)
            {
                var length = Math.Min(target - written, random.Next(5, 31));
                if (paragraph.Length > 0)
                {
                    paragraph.Append(' ');
                }

                for (var w = 0; w < length; w++)
                {
                    if (w > 0)
                    {
                        paragraph.Append(w % 7 == 4 && random.Next(3) == 0 ? ", " : " ");
                    }

                    AppendWord(paragraph, random, capital: w == 0);
                }

                paragraph.Append(random.Next(12) switch { 0 => '?', 1 => '!', _ => '.' });
                written += length;
            }

            paragraphs.Add(paragraph.ToString());
            left -= target;
        }

        return paragraphs;
    }

    private static void AppendWord(StringBuilder text, Random random, bool capital)
    {
        var letters = random.Next(2, 9);
        for (var i = 0; i < letters; i++)
        {
            var c = (i % 2 == 0) ? Consonants[random.Next(Consonants.Length)] : Vowels[random.Next(Vowels.Length)];
            text.Append(capital && i == 0 ? char.ToUpperInvariant(c) : c);
        }
    }
}
