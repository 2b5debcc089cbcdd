using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Pipeline.Processing;
using BookBytes.WebHost.Security;

namespace BookBytes.WebHost.Api;

/// <summary>An audiobook with its edition and the chapters of its served version (<c>GET /api/v1/audiobooks/{id}</c>).</summary>
/// <param name="Mode"><c>summary</c> or <c>narration</c>; an edition has at most one audiobook of each.</param>
/// <param name="Grounding"><c>text</c> (from the book's own text) or <c>model</c> (from the language model's memory of the book).</param>
/// <param name="SummaryWords">The summary length asked for; null for the server's default (and for narration).</param>
/// <param name="CoverUrl">The cover image (this host's endpoint), when the edition has one.</param>
/// <param name="FeedUrl">The audiobook's podcast feed (RSS), with its private token when the host requires API keys.</param>
/// <param name="Package">The one-file M4B and MP3 of the served version, once made.</param>
/// <param name="Job">The audiobook's latest job (making, refreshing or packaging it): the one at work while it is not terminal, so a
/// client opening the book can follow it; null when the audiobook has none, or when its jobs finished long ago and were deleted
/// (<c>BookBytes:Jobs:Retention</c>).</param>
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
    string? CoverUrl,
    string FeedUrl,
    PackageResponse? Package,
    JobResponse? Job,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static AudioBookResponse From(AudioBookDetails details, JobResponse? job, FeedTokens tokens)
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
            [.. details.Chapters.OrderBy(c => c.Number).Select(c => ChapterResponse.From(c, tokens, beingMade: book.Status is AudioBookStatus.Pending or AudioBookStatus.Processing && book.PendingVersion is null))],
            HasCover(details.Edition) ? tokens.Sign(ApiRoutes.Cover(book.Id), book.Id) : null,
            tokens.Sign(ApiRoutes.Feed(book.Id), book.Id),
            PackageResponse.From(book, tokens),
            job,
            book.CreatedAt,
            book.UpdatedAt);
    }

    public static bool HasCover(Edition? edition) => edition is not null && (edition.Document?.CoverKey is not null || edition.CoverUrl is not null);
}
