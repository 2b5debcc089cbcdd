using BookBytes.AudioBooks;
using BookBytes.Llm;

namespace BookBytes.Pipeline.Estimates;

/// <summary>What an audiobook would cost before anything is spent: no provider is called to make it.</summary>
/// <param name="EditionId">The edition.</param>
/// <param name="Mode">The mode.</param>
/// <param name="Grounding">Where the words would come from.</param>
/// <param name="Chapters">The chapters that would be made, in order; empty when the chapters would come from the language model's outline (then <paramref name="AssumedChapters"/> is set).</param>
/// <param name="AssumedChapters">For an edition without a table of contents: the chapter count the figures assume (<c>BookBytes:Estimate:AssumedChapters</c>); otherwise <see langword="null"/>.</param>
/// <param name="LlmCalls">Language-model calls (outline, summaries, parts and combinations).</param>
/// <param name="Tokens">Language-model input and output tokens.</param>
/// <param name="SpeechCalls">Speech calls.</param>
/// <param name="SpeechCharacters">Characters sent to the speech provider.</param>
/// <param name="Duration">How long the job would take on this node, from the configured concurrency and the latency model in <c>BookBytes:Estimate</c>.</param>
/// <param name="Cost">The cost from the price table (<c>BookBytes:Pricing</c>); <see langword="null"/> when a model in use has no price.</param>
/// <param name="Currency">The price table's currency.</param>
/// <param name="Notes">What the figures assume or leave out (a model without a price, an outline not yet made), for a person to read.</param>
public sealed record AudioBookEstimate(
    Guid EditionId,
    AudioBookMode Mode,
    AudioBookGrounding Grounding,
    IReadOnlyList<ChapterEstimate> Chapters,
    int? AssumedChapters,
    int LlmCalls,
    LlmUsage Tokens,
    int SpeechCalls,
    long SpeechCharacters,
    TimeSpan Duration,
    decimal? Cost,
    string Currency,
    IReadOnlyList<string> Notes);

/// <summary>One chapter of an <see cref="AudioBookEstimate"/>.</summary>
/// <param name="Number">The chapter number.</param>
/// <param name="Title">The title.</param>
/// <param name="Words">The words of the chapter's text; 0 when the edition has no text.</param>
/// <param name="LlmCalls">Language-model calls: 1, or its parts and one combination; 0 for narration.</param>
/// <param name="Tokens">Language-model tokens.</param>
/// <param name="SpeechCalls">Speech calls.</param>
/// <param name="SpeechCharacters">Characters it would speak.</param>
public sealed record ChapterEstimate(int Number, string Title, int Words, int LlmCalls, LlmUsage Tokens, int SpeechCalls, long SpeechCharacters);
