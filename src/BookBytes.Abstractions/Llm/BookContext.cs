namespace BookBytes.Llm;

/// <summary>What the language model is told about a book.</summary>
/// <param name="Title">The title (with subtitle).</param>
/// <param name="Authors">The authors' names; may be empty.</param>
/// <param name="Language">The ISO 639-1 language code the summaries are written in, for example <c>en</c>.</param>
/// <param name="Description">A description from the catalog, when known.</param>
/// <param name="KnownChapterTitles">The real chapter titles from the catalog's table of contents, when known.</param>
/// <param name="SummaryWords">The target length of each chapter summary, in words.</param>
public sealed record BookContext(
    string Title,
    IReadOnlyList<string> Authors,
    string Language,
    string? Description = null,
    IReadOnlyList<string>? KnownChapterTitles = null,
    int SummaryWords = 500);
