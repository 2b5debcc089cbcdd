using System.Globalization;
using System.Text;
using BookBytes.Llm;

namespace BookBytes.Providers.ExtensionsAI.Chat;

/// <summary>Builds the system and user messages of the two chat calls.</summary>
internal static class ChatPrompts
{
    public const string OutlineSystem = """
        You are a careful librarian. You list the real chapters of published books, in reading order.
        Only answer with chapters you actually know for this exact book. If you do not know the book,
        or do not know its table of contents, answer with known=false and an empty chapter list.
        Never invent a book or chapters. Leave out front and back matter (foreword, acknowledgements,
        notes, index) unless the book treats them as numbered chapters. Number chapters from 1.
        """;

    public const string SummarySystem = """
        You write chapter summaries of non-fiction books that are read aloud by a text-to-speech voice.
        Write flowing plain prose in paragraphs separated by a blank line. Do not use markdown, bullet
        points, numbered lists, headings, tables, emojis or a title line. Explain the chapter's key ideas,
        arguments and examples so a listener understands them without the book. Stay faithful to the
        book; do not invent content.
        """;

    public static string Outline(BookContext book)
    {
        var text = new StringBuilder();
        AppendBook(text, book);
        if (book.KnownChapterTitles is { Count: > 0 } titles)
        {
            text.AppendLine("The catalog lists these chapter titles; use them, in this order:");
            for (var i = 0; i < titles.Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {titles[i]}").AppendLine();
            }
        }

        text.AppendLine().Append("List this book's chapters in order.");
        return text.ToString();
    }

    public static string Summary(BookContext book, ChapterHeading chapter)
    {
        var text = new StringBuilder();
        AppendBook(text, book);
        if (book.KnownChapterTitles is { Count: > 0 } titles)
        {
            text.Append("Chapters of the book: ").AppendJoin("; ", titles).AppendLine();
        }

        text.Append(CultureInfo.InvariantCulture, $"Chapter to summarise: chapter {chapter.Number}, \"{chapter.Title}\"").AppendLine()
            .AppendLine()
            .Append(CultureInfo.InvariantCulture, $"Write a summary of about {book.SummaryWords} words of this chapter only, in {LanguageName(book.Language)}. ")
            .Append("Start by naming the book, its authors and the chapter, as a spoken introduction would. ")
            .Append("Plain paragraphs for listening: no markdown, lists or headings.");
        return text.ToString();
    }

    internal static string LanguageName(string language)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            return "the book's language";
        }

        try
        {
            var culture = CultureInfo.GetCultureInfo(language.Trim());
            return culture.EnglishName == culture.Name || string.IsNullOrEmpty(culture.EnglishName)
                ? $"the language with code '{language}'"
                : $"{culture.EnglishName} (language code '{language}')";
        }
        catch (CultureNotFoundException)
        {
            return $"the language with code '{language}'";
        }
    }

    private static void AppendBook(StringBuilder text, BookContext book)
    {
        text.Append("Title: ").AppendLine(book.Title);
        text.Append("Authors: ").AppendLine(book.Authors.Count > 0 ? string.Join(", ", book.Authors) : "unknown");
        text.Append("Language: ").AppendLine(LanguageName(book.Language));
        if (!string.IsNullOrWhiteSpace(book.Description))
        {
            text.Append("Description: ").AppendLine(book.Description.Trim());
        }
    }
}
