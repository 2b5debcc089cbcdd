using BookBytes.AudioBooks;
using BookBytes.WebHost.Security;

namespace BookBytes.WebHost.Api;

/// <summary>
/// A chapter of an audiobook; <see cref="AudioUrl"/> and <see cref="TranscriptUrl"/> (WebVTT) are this host's endpoints once the
/// audio is stored, with the audiobook's feed token when the host requires API keys (so a player can load them without the header).
/// While the audiobook is being made and the chapter is not stored yet, <see cref="LiveAudioUrl"/> is the same endpoint: it streams
/// the chapter as its segments land and ends when the chapter is complete.
/// </summary>
internal sealed record ChapterResponse(
    int Number,
    string Title,
    string? Summary,
    ChapterStatus Status,
    string? AudioUrl,
    string? TranscriptUrl,
    double? DurationSeconds,
    int? WordCount,
    string? ErrorMessage,
    string? LiveAudioUrl)
{
    public static ChapterResponse From(Chapter chapter, FeedTokens tokens, bool beingMade)
        => new(
            chapter.Number,
            chapter.Title,
            chapter.Summary,
            chapter.Status,
            chapter.AudioKey is null ? null : tokens.Sign(ApiRoutes.ChapterAudio(chapter.AudioBookId, chapter.Number), chapter.AudioBookId),
            chapter.AudioKey is null ? null : tokens.Sign(ApiRoutes.Transcript(chapter.AudioBookId, chapter.Number), chapter.AudioBookId),
            chapter.DurationSeconds,
            chapter.WordCount,
            chapter.ErrorMessage,
            beingMade && chapter.AudioKey is null && chapter.Status != ChapterStatus.Failed ? tokens.Sign(ApiRoutes.ChapterAudio(chapter.AudioBookId, chapter.Number), chapter.AudioBookId) : null);
}
