using System.Text.RegularExpressions;

namespace BookBytes.Documents.Pdf;

/// <summary>
/// Tells front and back matter from the body by a chapter's title. A local copy until the shared one in
/// <c>Text/</c> is merged.
/// </summary>
internal static partial class PdfMatterTitles
{
    public static ChapterKind Classify(string title)
    {
        var t = title.Trim();
        if (Front().IsMatch(t))
        {
            return ChapterKind.Front;
        }

        return Back().IsMatch(t) ? ChapterKind.Back : ChapterKind.Body;
    }

    [GeneratedRegex(@"^(table\s+of\s+)?contents$|^copyright(\s+page)?$|^title\s+page$|^dedication$|^half[\s-]title$|^also\s+by\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Front();

    [GeneratedRegex(@"^acknowledge?ments?$|^index$|^bibliography$|^(end\s*)?notes$|^references$|^about\s+the\s+authors?$|^glossary$|^further\s+reading$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Back();
}
