namespace BookBytes.Llm;

/// <summary>The language model's answer to an outline request.</summary>
/// <param name="Known"><see langword="false"/> when the model does not know the book; <paramref name="Chapters"/> is then empty.</param>
/// <param name="Chapters">The chapters in book order.</param>
/// <param name="Usage">The tokens the call used.</param>
public sealed record BookOutline(bool Known, IReadOnlyList<ChapterHeading> Chapters, LlmUsage Usage);
