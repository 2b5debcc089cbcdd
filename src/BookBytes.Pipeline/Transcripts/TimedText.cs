namespace BookBytes.Pipeline.Transcripts;

/// <summary>A stretch of spoken text and how long its audio plays: one synthesized chunk, or a whole chapter when chunks are not known.</summary>
/// <param name="Text">The text spoken.</param>
/// <param name="Seconds">Its audio's duration.</param>
internal sealed record TimedText(string Text, double Seconds);
