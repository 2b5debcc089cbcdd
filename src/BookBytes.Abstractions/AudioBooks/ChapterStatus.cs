namespace BookBytes.AudioBooks;

/// <summary>The state of one chapter.</summary>
public enum ChapterStatus
{
    /// <summary>Its heading is known; no summary yet.</summary>
    Pending,

    /// <summary>Its summary is stored; no audio yet.</summary>
    Summarized,

    /// <summary>Its audio is stored and playable.</summary>
    Completed,

    /// <summary>It exhausted its retries; <see cref="Chapter.ErrorMessage"/> says why.</summary>
    Failed,
}
