namespace BookBytes.Documents.Text;

/// <summary>Collects a document's chapters in reading order, numbering them and keeping <see cref="DocumentLimits.MaxChapters"/>.</summary>
/// <remarks>One per document read; not thread-safe.</remarks>
internal sealed class ChapterBuilder(DocumentLimits limits)
{
    private readonly List<DocumentChapter> _chapters = [];
    private bool _body;

    /// <summary>Gets the chapters so far.</summary>
    public IReadOnlyList<DocumentChapter> Chapters => _chapters;

    /// <summary>Gets notes a reader sets aside to read after the text rather than inline.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Gets the most chapters allowed.</summary>
    public int MaxChapters => limits.MaxChapters;

    /// <summary>
    /// Adds a chapter. Its kind is <paramref name="kind"/> when given, else what <see cref="MatterTitles"/> says of
    /// its title, else body; front matter after the first body chapter is back matter.
    /// </summary>
    /// <exception cref="DocumentException">The chapter would be one more than <see cref="DocumentLimits.MaxChapters"/>.</exception>
    public void Add(string title, int level, ChapterKind? kind, IReadOnlyList<string> paragraphs, string? language = null)
    {
        if (_chapters.Count >= limits.MaxChapters)
        {
            TooMany(_chapters.Count + 1);
        }

        var resolved = kind ?? MatterTitles.Classify(title) ?? ChapterKind.Body;
        if (resolved == ChapterKind.Front && _body)
        {
            resolved = ChapterKind.Back;
        }

        _body |= resolved == ChapterKind.Body;
        var name = TextCleanup.Normalize(title);
        _chapters.Add(new DocumentChapter(_chapters.Count + 1, name.Length == 0 ? "Chapter " + (_chapters.Count + 1) : name, level, resolved, paragraphs, language));
    }

    /// <summary>Throws the error for a document with more chapters than allowed.</summary>
    /// <exception cref="DocumentException">Always.</exception>
    public void TooMany(int count)
        => throw new DocumentException($"The document has more than {limits.MaxChapters} chapters ({count} found so far); at most {limits.MaxChapters} are accepted ({DocumentOptions.SectionName}:MaxChapters).", ErrorCodes.DocumentTooLarge);
}
