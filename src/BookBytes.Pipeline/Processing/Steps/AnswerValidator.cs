using System.Globalization;
using BookBytes.Books;
using BookBytes.Llm;
using BookBytes.Internal.Text;
using BookBytes.Pipeline.Text;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// Decides whether a language model's answer is usable: an outline numbered 1..N with titles, a summary of
/// 50%–200% of the target words in plain prose. An unusable answer is a transient
/// <see cref="ProviderResponseException"/> (asked for again); a book the model does not know is not.
/// </summary>
internal static class AnswerValidator
{
    /// <summary>Checks an outline.</summary>
    /// <param name="outline">The outline.</param>
    /// <param name="title">The book's title, for the error.</param>
    /// <exception cref="BookNotKnownException">The model does not know the book.</exception>
    /// <exception cref="ProviderResponseException">The outline is empty, misnumbered or has an untitled chapter.</exception>
    public static void ValidateOutline(BookOutline outline, string title)
    {
        if (!outline.Known)
        {
            throw new BookNotKnownException(title);
        }

        if (outline.Chapters.Count == 0)
        {
            throw new ProviderResponseException("The outline lists no chapters.");
        }

        for (var i = 0; i < outline.Chapters.Count; i++)
        {
            var chapter = outline.Chapters[i];
            if (chapter.Number != i + 1)
            {
                throw new ProviderResponseException(Invariant($"The outline's chapters are not numbered 1..{outline.Chapters.Count} in order: position {i + 1} is numbered {chapter.Number}."));
            }

            if (string.IsNullOrWhiteSpace(chapter.Title))
            {
                throw new ProviderResponseException(Invariant($"Chapter {chapter.Number} of the outline has no title."));
            }
        }
    }

    /// <summary>Checks a chapter summary, or a part summary, against its own target length.</summary>
    /// <param name="chapterNumber">The chapter, for the error.</param>
    /// <param name="text">The summary.</param>
    /// <param name="summaryWords">The target words.</param>
    /// <exception cref="ProviderResponseException">The summary is off-target in length or is not plain prose.</exception>
    public static void ValidateSummary(int chapterNumber, string? text, int summaryWords)
    {
        var words = WordCounter.Count(text);
        if (words < summaryWords / 2 || words > summaryWords * 2)
        {
            throw new ProviderResponseException(Invariant($"The summary of chapter {chapterNumber} has {words} words; {summaryWords / 2} to {summaryWords * 2} are expected."));
        }

        foreach (var rawLine in text!.Split('\n'))
        {
            var line = rawLine.TrimStart();
            if (line.StartsWith('#') || line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal)
                || line.StartsWith("```", StringComparison.Ordinal) || IsNumberedListItem(line))
            {
                throw new ProviderResponseException(Invariant($"The summary of chapter {chapterNumber} is not plain prose: it has a heading, list or code line."));
            }
        }

        if (text.Contains("**", StringComparison.Ordinal) || text.Contains("__", StringComparison.Ordinal))
        {
            throw new ProviderResponseException(Invariant($"The summary of chapter {chapterNumber} is not plain prose: it has markdown emphasis."));
        }
    }

    private static bool IsNumberedListItem(string line)
    {
        var digits = 0;
        while (digits < line.Length && char.IsAsciiDigit(line[digits]))
        {
            digits++;
        }

        return digits is > 0 and < 4 && line.Length > digits + 1 && line[digits] is '.' or ')' && line[digits + 1] == ' ';
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
