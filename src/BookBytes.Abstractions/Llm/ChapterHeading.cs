namespace BookBytes.Llm;

/// <summary>A chapter's number (from 1) and title.</summary>
/// <param name="Number">The 1-based chapter number.</param>
/// <param name="Title">The chapter title.</param>
public sealed record ChapterHeading(int Number, string Title);
