using System.Text.RegularExpressions;

namespace BookBytes.Catalog.OpenLibrary;

/// <summary>Checks the record keys Open Library returns before they become request paths.</summary>
/// <remarks>
/// Keys come from the remote server; only the documented shapes (<c>/works/OL45804W</c>,
/// <c>/authors/OL34184A</c>) are followed, so a bad record cannot make the catalog request arbitrary paths.
/// </remarks>
internal static partial class OpenLibraryKey
{
    public static bool IsWork(string? key) => key is not null && WorkPattern().IsMatch(key);

    public static bool IsAuthor(string? key) => key is not null && AuthorPattern().IsMatch(key);

    /// <summary>Turns <c>/works/OL45804W</c> into the relative request path <c>works/OL45804W.json</c>.</summary>
    public static string ToJsonPath(string key) => string.Concat(key.AsSpan().TrimStart('/'), ".json");

    [GeneratedRegex(@"^/works/OL[0-9]{1,12}W$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex WorkPattern();

    [GeneratedRegex(@"^/authors/OL[0-9]{1,12}A$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AuthorPattern();
}
