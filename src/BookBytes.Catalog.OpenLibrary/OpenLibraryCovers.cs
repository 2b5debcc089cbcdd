using System.Globalization;
using System.Text.RegularExpressions;
using BookBytes.Books;

namespace BookBytes.Catalog.OpenLibrary;

/// <summary>The paths of Open Library's covers API, and reading a cover's body within a bound.</summary>
/// <remarks>
/// Paths are built from a cover id or an ISBN only, never taken from a stored URL, so an edition's data cannot make the
/// catalog request another server or path.
/// </remarks>
internal static partial class OpenLibraryCovers
{
    /// <summary>The relative path of the cover with the given id and size (<c>S</c>, <c>M</c> or <c>L</c>).</summary>
    public static string ById(long coverId, string size) => string.Create(CultureInfo.InvariantCulture, $"b/id/{coverId}-{size}.jpg");

    /// <summary>The URL of the edition's medium cover (what <see cref="Edition.CoverUrl"/> holds): <c>{base}/b/id/{id}-M.jpg</c>.</summary>
    public static Uri UrlOf(Uri coversBaseUrl, long coverId)
        => new(BookBytesBuilderOpenLibraryExtensions.WithTrailingSlash(coversBaseUrl), ById(coverId, "M"));

    /// <summary>
    /// The relative path that downloads the edition's large cover: by the cover id its <see cref="Edition.CoverUrl"/> names
    /// (<c>…/b/id/{id}-M.jpg</c>), else by its ISBN-13; with <c>default=false</c>, so a missing cover is a 404 rather than
    /// a placeholder image.
    /// </summary>
    /// <returns>The path, or <see langword="null"/> when the edition has neither.</returns>
    public static string? PathOf(Edition edition)
    {
        if (edition.CoverUrl is { IsAbsoluteUri: true } url
            && CoverIdPattern().Match(url.AbsolutePath) is { Success: true } match
            && long.TryParse(match.Groups["id"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && id > 0)
        {
            return ById(id, "L") + "?default=false";
        }

        return edition.Isbn13 is { } candidate && Isbn.TryParse(candidate, out var isbn)
            ? $"b/isbn/{isbn.Value}-L.jpg?default=false"
            : null;
    }

    /// <summary>Reads a body to its end, but no more than <paramref name="maxBytes"/>.</summary>
    /// <returns>The bytes, or <see langword="null"/> when the body is longer than <paramref name="maxBytes"/>.</returns>
    public static async Task<byte[]?> ReadAtMostAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        using var data = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (data.Length + read > maxBytes)
            {
                return null;
            }

            data.Write(buffer, 0, read);
        }

        return data.ToArray();
    }

    [GeneratedRegex(@"^/b/id/(?<id>[0-9]{1,12})-[SML]\.jpg$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CoverIdPattern();
}
