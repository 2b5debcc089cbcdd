using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BookBytes.Benchmarks.Reliability;

/// <summary>
/// Fake Open Library for a set of <see cref="CampaignBook"/>s: <c>/isbn/{isbn}.json</c> (an edition, with the chapters as
/// its <c>table_of_contents</c> unless told not to, so the pipeline then asks the model for an outline),
/// <c>/works/…</c> and <c>/authors/…</c>. Thread-safe.
/// </summary>
internal sealed partial class FakeOpenLibrary(IReadOnlyList<CampaignBook> books, bool tableOfContents)
{
    private static readonly string[] Publishers = ["Campaign Press"];
    private static readonly string[] Subjects = ["Habits", "Practice"];
    private static readonly JsonSerializerOptions OmitNull = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly Dictionary<string, CampaignBook> _booksByIsbn = books.ToDictionary(b => b.Isbn, StringComparer.Ordinal);
    private readonly Dictionary<int, CampaignBook> _booksByNumber = books.ToDictionary(b => b.Number);
    private int _requests;

    /// <summary>Requests answered (found or not).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Maps the three routes at the root of <paramref name="app"/>.</summary>
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/isbn/{file}", (string file) => Edition(file));
        app.MapGet("/works/{file}", (string file) => Work(file));
        app.MapGet("/authors/{file}", (string file) => Author(file));
    }

    private IResult Edition(string file)
    {
        Interlocked.Increment(ref _requests);
        if (!_booksByIsbn.TryGetValue(Path.GetFileNameWithoutExtension(file), out var book))
        {
            return Results.NotFound();
        }

        var json = JsonSerializer.Serialize(new
        {
            key = $"/books/OL{book.Number}M",
            title = book.Title,
            isbn_13 = new[] { book.Isbn },
            works = new[] { new { key = $"/works/OL{book.Number}W" } },
            authors = new[] { new { key = $"/authors/OL{book.Number}A" } },
            publishers = Publishers,
            publish_date = "2020",
            number_of_pages = 40 * book.ChapterTitles.Count,
            languages = new[] { new { key = "/languages/eng" } },
            table_of_contents = tableOfContents
                ? book.ChapterTitles.Select((title, i) => new { level = 0, label = (i + 1).ToString(CultureInfo.InvariantCulture), title, pagenum = (1 + (40 * i)).ToString(CultureInfo.InvariantCulture) })
                : null,
        }, OmitNull);
        return Results.Content(json, "application/json");
    }

    private IResult Work(string file)
    {
        Interlocked.Increment(ref _requests);
        return int.TryParse(WorkOrAuthorNumber().Match(file).Groups[1].Value, out var n) && _booksByNumber.TryGetValue(n, out var book)
            ? Results.Content(JsonSerializer.Serialize(new { title = book.Title, description = "A book made up for the reliability campaign.", subjects = Subjects }), "application/json")
            : Results.NotFound();
    }

    private IResult Author(string file)
    {
        Interlocked.Increment(ref _requests);
        return int.TryParse(WorkOrAuthorNumber().Match(file).Groups[1].Value, out var n) && _booksByNumber.TryGetValue(n, out var book)
            ? Results.Content(JsonSerializer.Serialize(new { name = book.Author }), "application/json")
            : Results.NotFound();
    }

    [GeneratedRegex(@"OL(\d+)[WA]")]
    private static partial Regex WorkOrAuthorNumber();
}
