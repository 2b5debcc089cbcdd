using BookBytes.Pipeline.Estimates;

namespace BookBytes.WebHost.Api;

/// <summary>One chapter of an <see cref="EstimateResponse"/>.</summary>
/// <param name="Number">The chapter number.</param>
/// <param name="Title">The title.</param>
/// <param name="Words">The words of the chapter's text; 0 when the edition has no text.</param>
/// <param name="LlmCalls">Language-model calls (0 for narration).</param>
/// <param name="InputTokens">Language-model input tokens.</param>
/// <param name="OutputTokens">Language-model output tokens.</param>
/// <param name="SpeechCalls">Text-to-speech calls.</param>
/// <param name="SpeechCharacters">Characters it would speak.</param>
internal sealed record EstimateChapterResponse(
    int Number,
    string Title,
    int Words,
    int LlmCalls,
    long InputTokens,
    long OutputTokens,
    int SpeechCalls,
    long SpeechCharacters)
{
    public static EstimateChapterResponse From(ChapterEstimate chapter)
        => new(chapter.Number, chapter.Title, chapter.Words, chapter.LlmCalls, chapter.Tokens.InputTokens, chapter.Tokens.OutputTokens, chapter.SpeechCalls, chapter.SpeechCharacters);
}
