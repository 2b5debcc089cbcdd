using System.Text;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>
/// The fake model's chapter summary: about 500 words of plain prose in five paragraphs, no markdown or lists,
/// the chapter's marker in the first and last sentence of every paragraph (so every speech chunk carries it).
/// The same chapter always gets the same text, so a re-asked summary produces the same speech chunks.
/// </summary>
internal static class SummaryText
{
    private static readonly string[] Sentences =
    [
        "The author argues that steady practice turns small daily habits into lasting results over the years.",
        "Several examples from ordinary working life show how attention quietly shapes the choices people make.",
        "A short story about a village baker illustrates the real cost of waiting for perfect conditions.",
        "The chapter then weighs the evidence from careful studies of memory, sleep and deliberate rehearsal.",
        "Readers are asked to notice how their surroundings invite some actions and discourage many others.",
        "The argument moves patiently from a single observation to a broader claim about human behaviour.",
        "Critics of this view are given a fair hearing before the author explains where they fall short.",
        "A second example follows a team of nurses who redesigned their shift handover within a single week.",
        "The key idea is that good systems outlast goals because they keep working when motivation fades.",
        "Along the way the author returns to the opening question and answers it in plain and simple terms.",
        "Figures are used sparingly, and each one is explained so that a listener can easily follow along.",
        "The section ends by connecting these lessons to the themes that the following chapters will develop.",
    ];

    public static string For(string marker, int chapterNumber, string bookTitle, string author)
    {
        var random = new Random(StableHash.Of(marker));
        var text = new StringBuilder();
        for (var paragraph = 1; paragraph <= 5; paragraph++)
        {
            if (paragraph > 1)
            {
                text.Append("\n\n");
            }

            text.Append(paragraph == 1
                ? $"This is chapter {chapterNumber} of {bookTitle} by {author}, the chapter called {marker}, and here is what it says."
                : $"Part {paragraph} of the summary of {marker} continues the argument of the chapter.");
            foreach (var sentence in Sentences.OrderBy(_ => random.Next()).Take(5))
            {
                text.Append(' ').Append(sentence);
            }

            text.Append($" That closes part {paragraph} of {marker}.");
        }

        return text.ToString();
    }
}
