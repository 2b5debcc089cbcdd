using System.Globalization;
using System.Text.RegularExpressions;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>
/// One book of a campaign. Every chapter title carries a marker <c>zq{book}x{chapter}</c> that the fake
/// LLM repeats in the summary, so each speech request names the chapter it speaks.
/// </summary>
internal sealed partial record CampaignBook(int Number, string Isbn, string Title, string Author, IReadOnlyList<string> ChapterTitles)
{
    public static IReadOnlyList<CampaignBook> Create(int books, int chapters, int seed)
        => [.. Enumerable.Range(1, books).Select(b => new CampaignBook(
            b,
            Isbn13(555_000_000L + (seed % 1000 * 1000) + b),
            $"Reliability Book {b}",
            $"Author Number {b}",
            [.. Enumerable.Range(1, chapters).Select(c => ChapterTitle(b, c))]))];

    public static string Marker(int book, int chapter) => $"zq{book}x{chapter}";

    /// <summary>Finds the chapter marker in a text (a speech input, a file name); null when there is none.</summary>
    public static string? FindMarker(string? text) => text is null ? null : MarkerPattern().Match(text) is { Success: true } m ? m.Value : null;

    /// <summary>A valid ISBN-13: 978, nine digits, and the check digit.</summary>
    public static string Isbn13(long n)
    {
        var digits = "978" + n.ToString("D9", CultureInfo.InvariantCulture);
        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
        }

        return digits + ((10 - (sum % 10)) % 10).ToString(CultureInfo.InvariantCulture);
    }

    private static string ChapterTitle(int book, int chapter) => $"Lessons of {Marker(book, chapter)}";

    [GeneratedRegex(@"zq\d+x\d+")]
    private static partial Regex MarkerPattern();
}
