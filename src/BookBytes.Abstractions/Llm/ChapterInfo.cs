namespace BookBytes.Llm;

/// <summary>A chapter with its summary, as the one-call <see cref="LlmProviderExtensions.ExtractChaptersAsync"/> returns it.</summary>
/// <param name="Number">The 1-based chapter number.</param>
/// <param name="Title">The chapter title.</param>
/// <param name="Summary">The chapter summary.</param>
public sealed record ChapterInfo(int Number, string Title, string Summary);
