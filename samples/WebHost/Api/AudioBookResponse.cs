using BookBytes.AudioBooks;
using BookBytes.Pipeline.Processing;

namespace BookBytes.WebHost.Api;

/// <summary>An audiobook with its edition and the chapters of its served version (<c>GET /api/v1/audiobooks/{id}</c>).</summary>
internal sealed record AudioBookResponse(
    Guid Id,
    EditionResponse Edition,
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
            book.Status,
            book.Version,
            book.Voice,
            book.TotalDurationSeconds,
            [.. details.Chapters.OrderBy(c => c.Number).Select(ChapterResponse.From)],
            book.CreatedAt,
            book.UpdatedAt);
    }
}
