using System.Text;

namespace BookBytes.Benchmarks.Local;

/// <summary>
/// Deterministic generated English-like prose: a lexicon of made-up content words in topics, mixed with real function
/// words, so TF-IDF has something to tell sentences apart by. A paragraph keeps to one topic and drifts to the next one
/// now and then; content words are drawn with a Zipf-like skew, so some are common and most are rare.
/// </summary>
internal static class Prose
{
    private const int Topics = 24;
    private const int WordsPerTopic = 120;
    private const int SharedWords = 400;

    private static readonly string[] Function =
    [
        "the", "the", "the", "of", "of", "and", "and", "to", "in", "a", "a", "that", "it", "was", "he", "she", "they", "with",
        "for", "on", "as", "his", "her", "their", "at", "by", "from", "but", "not", "had", "have", "were", "which", "this",
    ];

    private static readonly string[] Syllables =
    [
        "ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu", "na", "pe", "qui", "ro", "su", "ta", "ve", "wi", "xo", "ya",
        "zu", "bra", "cle", "dri", "fro", "glu", "pla", "tre", "sto", "spe", "ran", "ten", "lin", "mor", "sal", "ver",
    ];

    private static readonly string[][] TopicWords = [.. Enumerable.Range(0, Topics).Select(t => Lexicon((ulong)(1_000 + t), WordsPerTopic))];
    private static readonly string[] Shared = Lexicon(7, SharedWords);

    /// <summary>A chapter of about <paramref name="words"/> words (never fewer), in paragraphs separated by blank lines.</summary>
    /// <param name="words">The words wanted.</param>
    /// <param name="seed">The seed: the same seed and length give the same text.</param>
    /// <returns>The text.</returns>
    public static string Chapter(int words, ulong seed)
    {
        var random = new SplitMix(seed);
        var text = new StringBuilder();
        var count = 0;
        var topic = (int)random.Next(Topics);
        while (count < words)
        {
            if (text.Length > 0)
            {
                text.Append("\n\n");
            }

            if (random.Next(3) == 0)
            {
                topic = (topic + 1 + (int)random.Next(3)) % Topics;
            }

            var sentences = 3 + (int)random.Next(6);
            for (var s = 0; s < sentences && count < words; s++)
            {
                if (s > 0)
                {
                    text.Append(' ');
                }

                count += Sentence(text, random, topic);
            }
        }

        return text.ToString();
    }

    private static int Sentence(StringBuilder text, SplitMix random, int topic)
    {
        var length = 8 + (int)random.Next(23);
        for (var w = 0; w < length; w++)
        {
            var roll = random.Next(100);
            var word = roll < 45 ? Function[random.Next((ulong)Function.Length)]
                : roll < 85 ? TopicWords[topic][Zipf(random, WordsPerTopic)]
                : Shared[Zipf(random, SharedWords)];
            if (w == 0)
            {
                text.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
            }
            else
            {
                text.Append(word);
            }

            if (w < length - 1)
            {
                text.Append(random.Next(12) == 0 ? ", " : " ");
            }
        }

        var end = random.Next(20);
        text.Append(end == 0 ? '?' : end == 1 ? '!' : '.');
        return length;
    }

    // An index skewed to the small ones: the square of a uniform number.
    private static int Zipf(SplitMix random, int count)
    {
        var u = random.Next(1_000_000) / 1_000_000.0;
        return (int)(u * u * count);
    }

    private static string[] Lexicon(ulong seed, int count)
    {
        var random = new SplitMix(seed);
        var words = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<string>();
        while (ordered.Count < count)
        {
            var syllables = 2 + (int)random.Next(3);
            var word = new StringBuilder();
            for (var s = 0; s < syllables; s++)
            {
                word.Append(Syllables[random.Next((ulong)Syllables.Length)]);
            }

            if (words.Add(word.ToString()))
            {
                ordered.Add(word.ToString());
            }
        }

        return [.. ordered];
    }

    /// <summary>SplitMix64: a small PRNG whose output depends only on its seed, on every runtime.</summary>
    private sealed class SplitMix(ulong seed)
    {
        private ulong _state = seed;

        public ulong Next(ulong bound)
        {
            _state += 0x9E3779B97F4A7C15UL;
            var z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return z % bound;
        }
    }
}
