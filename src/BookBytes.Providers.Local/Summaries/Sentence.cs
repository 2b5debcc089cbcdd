namespace BookBytes.Providers.Local.Summaries;

/// <summary>One sentence of a text, with the paragraph it is in.</summary>
/// <param name="Text">The sentence, its white space collapsed to single spaces.</param>
/// <param name="Paragraph">The 0-based paragraph it is in.</param>
internal readonly record struct Sentence(string Text, int Paragraph);
