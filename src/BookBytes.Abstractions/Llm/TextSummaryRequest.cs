namespace BookBytes.Llm;

/// <summary>
/// One call of a summary grounded in the book's text: a chapter's text, a part of it, or the summaries of its parts
/// to combine (map-reduce). The model is to say only what <see cref="Text"/> says.
/// </summary>
/// <param name="Chapter">The chapter.</param>
/// <param name="Text">The text to summarise: the chapter's (or part's) paragraphs separated by blank lines, or the part summaries in order.</param>
/// <param name="Scope">Whether <see cref="Text"/> is the whole chapter, one part, or the part summaries.</param>
/// <param name="Words">The target length of the answer, in words.</param>
/// <param name="Part">For <see cref="SummaryScope.Part"/>: which part, from 1; otherwise 0.</param>
/// <param name="Parts">For <see cref="SummaryScope.Part"/> and <see cref="SummaryScope.Combination"/>: how many parts the chapter has; otherwise 0.</param>
public sealed record TextSummaryRequest(ChapterHeading Chapter, string Text, SummaryScope Scope, int Words, int Part = 0, int Parts = 0);
