namespace BookBytes.Documents;

/// <summary>One chapter of a <see cref="BookDocument"/>, in reading order, with its text cleaned for listening.</summary>
/// <param name="Number">The 1-based position in reading order, front and back matter included.</param>
/// <param name="Title">The chapter's title as the document gives it (or its first heading); never empty.</param>
/// <param name="Level">The nesting depth: 0 for a top-level chapter or part, 1 for a section in it, and so on.</param>
/// <param name="Kind">Front matter, body or back matter.</param>
/// <param name="Paragraphs">
/// The text as paragraphs to be read aloud: note references, page numbers, running headers, images, scripts
/// and styles removed, hyphenation across lines undone, whitespace and soft hyphens normalised. May be empty
/// (a part title page).
/// </param>
/// <param name="Language">The chapter's language when the document says it differs from the book's; otherwise <see langword="null"/>.</param>
public sealed record DocumentChapter(
    int Number,
    string Title,
    int Level,
    ChapterKind Kind,
    IReadOnlyList<string> Paragraphs,
    string? Language = null)
{
    /// <summary>Gets the number of words in <see cref="Paragraphs"/>, counted by <see cref="DocumentText.CountWords"/> (runs of letters and digits; unspaced scripts two words per three characters) each time it is read, so it always fits the paragraphs.</summary>
    public int Words => DocumentText.CountWords(Paragraphs);
}
