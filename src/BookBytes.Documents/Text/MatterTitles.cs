using System.Text.RegularExpressions;

namespace BookBytes.Documents.Text;

/// <summary>
/// Tells from a chapter title (in English) whether it is front or back matter: contents, copyright, title page,
/// dedication, acknowledgements, about the author, "also by", index, bibliography, notes, colophon, and the
/// Project Gutenberg licence.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal static partial class MatterTitles
{
    /// <summary>
    /// Classifies a title. Front for matter that belongs before the text (contents, title page, copyright,
    /// dedication, "also by"), Back for matter after it (index, notes, bibliography, colophon, about the author,
    /// acknowledgements, licences); <see langword="null"/> for anything else.
    /// </summary>
    /// <remarks>A reader placing a chapter may still move it: matter after the first body chapter is back matter wherever it usually stands.</remarks>
    public static ChapterKind? Classify(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return null;
        }

        var t = TextCleanup.Normalize(title).Trim(' ', '.', ':', '*', '-', '—', '–');
        if (Front().IsMatch(t))
        {
            return ChapterKind.Front;
        }

        return Back().IsMatch(t) || Gutenberg().IsMatch(t) ? ChapterKind.Back : null;
    }

    [GeneratedRegex(@"^(?:(?:table\s+of\s+)?contents|copyright(?:\s+page)?|title\s*page|half[\s-]*title(?:\s+page)?|dedication|also\s+by\b.*|other\s+books\s+by\b.*|books\s+by\b.*|cover|front\s*matter|epigraph|imprint|praise\s+for\b.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Front();

    [GeneratedRegex(@"^(?:acknowledge?ments?|about\s+the\s+authors?|about\s+the\s+author\s+and\s+illustrator|about\s+the\s+translators?|index|bibliography|(?:end\s*)?notes|footnotes|colophon|glossary|works\s+cited|references|sources|permissions|credits|back\s*matter)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Back();

    [GeneratedRegex(@"project\s+gutenberg.*licen[cs]e|full\s+licen[cs]e|start:\s*full\s+licen[cs]e|end\s+of\s+(?:the\s+)?project\s+gutenberg", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: Text.RegexLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Gutenberg();
}
