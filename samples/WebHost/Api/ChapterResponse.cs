using BookBytes.AudioBooks;

namespace BookBytes.WebHost.Api;

/// <summary>A chapter of an audiobook; <see cref="AudioUrl"/> is this host's audio endpoint once the audio is stored.</summary>
internal sealed record ChapterResponse(
    int Number,
    string Title,
    string? Summary,
    ChapterStatus Status,
    string? AudioUrl,
    double? DurationSeconds,
    int? WordCount,
    string? ErrorMessage)
{
    public static ChapterResponse From(Chapter chapter)
        => new(
            chapter.Number,
            chapter.Title,
            chapter.Summary,
            chapter.Status,
            chapter.AudioKey is null ? null : ApiRoutes.ChapterAudio(chapter.AudioBookId, chapter.Number),
            chapter.DurationSeconds,
            chapter.WordCount,
            chapter.ErrorMessage);
}
