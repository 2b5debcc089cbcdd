using BookBytes.AudioBooks;
using BookBytes.Pipeline.Processing;

namespace BookBytes.WebHost.Api;

/// <summary>An audiobook with its edition and the chapters of its served version (<c>GET /api/v1/audiobooks/{id}</c>).</summary>
/// <param name="Mode"><c>summary</c> or <c>narration</c>; an edition has at most one audiobook of each.</param>
/// <param name="Grounding"><c>text</c> (from the book's own text) or <c>model</c> (from the language model's memory of the book).</param>
/// <param name="SummaryWords">The summary length asked for; null for the server's default (and for narration).</param>
internal sealed record AudioBookResponse(
    Guid Id,
    EditionResponse Edition,
    string Mode,
    string Grounding,
    int? SummaryWords,
    AudioBookStatus Status,
    int Version,
    string Voice,
    double TotalDurationSeconds,
    IReadOnlyList<ChapterResponse> Chapters,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static AudioBookResponse From(AudioBookDetails details)
    {
        var book = details.AudioBook;
        return new AudioBookResponse(
            book.Id,
            EditionResponse.From(details.Edition),
            ApiNames.Of(book.Mode),
            ApiNames.Of(book.Grounding),
            book.SummaryWords,
            book.Status,
            book.Version,
            book.Voice,
            book.TotalDurationSeconds,
            [.. details.Chapters.OrderBy(c => c.Number).Select(ChapterResponse.From)],
            book.CreatedAt,
            book.UpdatedAt);
    }
}
