namespace BookBytes.Llm;

/// <summary>The language model's summary of one chapter.</summary>
/// <param name="Text">Plain paragraphs meant to be listened to, separated by blank lines.</param>
/// <param name="Usage">The tokens the call used.</param>
public sealed record ChapterSummary(string Text, LlmUsage Usage);
