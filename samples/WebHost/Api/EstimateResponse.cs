using BookBytes.Pipeline.Estimates;

namespace BookBytes.WebHost.Api;

/// <summary>The answer of <c>POST /api/v1/books/estimate</c>: what an audiobook would take, worked out without calling any provider.</summary>
/// <param name="EditionId">The edition.</param>
/// <param name="Mode"><c>summary</c> or <c>narration</c>.</param>
/// <param name="Grounding"><c>text</c> (from the book's own text) or <c>model</c> (from the language model's memory of the book).</param>
/// <param name="Chapters">The chapters that would be made; empty when they would come from the model's outline (then <paramref name="AssumedChapters"/> is set).</param>
/// <param name="AssumedChapters">The chapter count assumed for an edition without a table of contents; otherwise null.</param>
/// <param name="LlmCalls">Language-model calls.</param>
/// <param name="InputTokens">Language-model input tokens.</param>
/// <param name="OutputTokens">Language-model output tokens.</param>
/// <param name="SpeechCalls">Text-to-speech calls.</param>
/// <param name="SpeechCharacters">Characters sent to text-to-speech.</param>
/// <param name="Seconds">How long the job would take on this server.</param>
/// <param name="Cost">The cost from the server's price table; null when a model in use has no price (the notes say which).</param>
/// <param name="Currency">The price table's currency.</param>
/// <param name="Notes">What the figures assume or leave out, for a person to read.</param>
internal sealed record EstimateResponse(
    Guid EditionId,
    string Mode,
    string Grounding,
    IReadOnlyList<EstimateChapterResponse> Chapters,
    int? AssumedChapters,
    int LlmCalls,
    long InputTokens,
    long OutputTokens,
    int SpeechCalls,
    long SpeechCharacters,
    double Seconds,
    decimal? Cost,
    string Currency,
    IReadOnlyList<string> Notes)
{
    public static EstimateResponse From(AudioBookEstimate estimate)
        => new(
            estimate.EditionId,
            ApiNames.Of(estimate.Mode),
            ApiNames.Of(estimate.Grounding),
            [.. estimate.Chapters.Select(EstimateChapterResponse.From)],
            estimate.AssumedChapters,
            estimate.LlmCalls,
            estimate.Tokens.InputTokens,
            estimate.Tokens.OutputTokens,
            estimate.SpeechCalls,
            estimate.SpeechCharacters,
            Math.Round(estimate.Duration.TotalSeconds, 1),
            estimate.Cost,
            estimate.Currency,
            estimate.Notes);
}
