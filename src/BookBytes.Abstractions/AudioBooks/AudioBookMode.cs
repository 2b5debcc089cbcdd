namespace BookBytes.AudioBooks;

/// <summary>What an audiobook speaks.</summary>
public enum AudioBookMode
{
    /// <summary>A summary of each chapter, about <c>SummaryWords</c> long: from the chapter's text when the edition has it, else from what the language model knows.</summary>
    Summary = 0,

    /// <summary>The chapter's text itself, every word, in order; no language model is asked.</summary>
    Narration = 1,
}
