namespace BookBytes.AudioBooks;

/// <summary>The state of an audiobook as a whole.</summary>
public enum AudioBookStatus
{
    /// <summary>Created; no job has started on it yet.</summary>
    Pending,

    /// <summary>A job is working on it; chapters already stored can be played.</summary>
    Processing,

    /// <summary>Every chapter is stored.</summary>
    Completed,

    /// <summary>Some chapters are stored and some failed; a refresh redoes only the failed ones.</summary>
    PartiallyCompleted,

    /// <summary>No chapter could be produced (for example the book is not known).</summary>
    Failed,
}
