namespace BookBytes.Llm;

/// <summary>What one grounded summary call summarises (<see cref="TextSummaryRequest"/>).</summary>
public enum SummaryScope
{
    /// <summary>A whole chapter's text, which fits the model's input budget.</summary>
    Chapter = 0,

    /// <summary>One part of a chapter too long for one call, cut at a paragraph end.</summary>
    Part = 1,

    /// <summary>The summaries of a long chapter's parts, in order, to be combined into the chapter's one summary.</summary>
    Combination = 2,
}
