namespace BookBytes.Llm;

/// <summary>All chapters of a book with their summaries.</summary>
/// <param name="Chapters">The chapters in book order.</param>
/// <param name="Usage">The tokens all calls used together.</param>
public sealed record ChapterExtraction(IReadOnlyList<ChapterInfo> Chapters, LlmUsage Usage);
