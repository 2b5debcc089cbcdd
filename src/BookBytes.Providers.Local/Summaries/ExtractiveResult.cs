namespace BookBytes.Providers.Local.Summaries;

/// <summary>What <see cref="ExtractiveSummarizer.Summarize"/> wrote.</summary>
/// <param name="Text">The summary: the chosen sentences in their original order, paragraphs separated by blank lines.</param>
/// <param name="Sentences">The sentences the text has.</param>
/// <param name="Ranked">The sentences ranked (at most <see cref="ExtractiveSummarizer.MaxSentences"/>).</param>
/// <param name="Chosen">The sentences in the summary.</param>
/// <param name="Words">The summary's words.</param>
internal sealed record ExtractiveResult(string Text, int Sentences, int Ranked, int Chosen, int Words);
