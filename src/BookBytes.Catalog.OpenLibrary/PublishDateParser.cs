using System.Globalization;
using System.Text.RegularExpressions;

namespace BookBytes.Catalog.OpenLibrary;

/// <summary>Reads the year out of Open Library's free-text <c>publish_date</c>.</summary>
internal static partial class PublishDateParser
{
    /// <summary>
    /// Returns the first stand-alone four-digit year between 1000 and 2099, which covers the forms
    /// Open Library holds: <c>1994</c>, <c>March 5, 2012</c>, <c>2012-03-05</c>, <c>c1999</c>,
    /// <c>May 2003</c>, <c>[1994?]</c>.
    /// </summary>
    /// <param name="publishDate">The free text, possibly <see langword="null"/>.</param>
    /// <returns>The year, or <see langword="null"/> when the text holds none.</returns>
    public static int? ParseYear(string? publishDate)
    {
        if (string.IsNullOrWhiteSpace(publishDate))
        {
            return null;
        }

        var match = YearPattern().Match(publishDate);
        return match.Success ? int.Parse(match.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"(?<!\d)(?:1\d{3}|20\d{2})(?!\d)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex YearPattern();
}
