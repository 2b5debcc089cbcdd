namespace BookBytes.AudioBooks;

/// <summary>One chapter of one audiobook version: its heading, summary and audio.</summary>
/// <remarks>An immutable snapshot; safe to share between threads.</remarks>
public sealed record Chapter
{
    /// <summary>Gets the audiobook.</summary>
    public required Guid AudioBookId { get; init; }

    /// <summary>Gets the audiobook version the chapter belongs to.</summary>
    public required int Version { get; init; }

    /// <summary>Gets the 1-based chapter number.</summary>
    public required int Number { get; init; }

    /// <summary>Gets the chapter title.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the status.</summary>
    public required ChapterStatus Status { get; init; }

    /// <summary>Gets the summary, once written; <see langword="null"/> for a narrated chapter, whose text is the edition's.</summary>
    public string? Summary { get; init; }

    /// <summary>Gets the length in words of what the chapter speaks (its summary, or its narrated text), once known.</summary>
    public int? WordCount { get; init; }

    /// <summary>Gets the storage key of the audio, once stored.</summary>
    public string? AudioKey { get; init; }

    /// <summary>Gets the audio's size in bytes, once stored.</summary>
    public long? AudioSizeBytes { get; init; }

    /// <summary>Gets the audio's duration in seconds, once stored.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>Gets why the chapter failed, if it did.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Gets what the chapter's provider calls used.</summary>
    public UsageTotals Usage { get; init; }

    /// <summary>Gets when the chapter last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
