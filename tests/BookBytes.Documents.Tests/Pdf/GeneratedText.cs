using System.Text;

namespace BookBytes.Documents.Tests.Pdf;

/// <summary>Deterministic made-up prose: sentences of invented words, so no book's text is copied.</summary>
internal static class GeneratedText
{
    private static readonly string[] Syllables = ["ka", "lo", "mi", "ren", "to", "sa", "vel", "dor", "un", "pe", "ri", "mon", "ta", "fe", "zu", "bar"];

    public static string Paragraph(int seed, int words)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        var sentence = 0;
        for (var i = 0; i < words; i++)
        {
            var word = string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Syllables[random.Next(Syllables.Length)]));
            if (sentence == 0)
            {
                word = char.ToUpperInvariant(word[0]) + word[1..];
            }

            text.Append(word);
            sentence++;
            var end = i == words - 1 || (sentence >= 8 && random.Next(5) == 0);
            text.Append(end ? ". " : " ");
            if (end)
            {
                sentence = 0;
            }
        }

        return text.ToString().TrimEnd();
    }
}
