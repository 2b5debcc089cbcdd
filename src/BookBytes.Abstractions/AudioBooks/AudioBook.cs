namespace BookBytes.AudioBooks;

/// <summary>The audio of one edition in one <see cref="AudioBookMode"/>, chapter by chapter: its summaries, or its text narrated.</summary>
/// <remarks>An immutable snapshot read from an <see cref="IAudioBookStore"/>; safe to share between threads.</remarks>
public sealed record AudioBook
{
    /// <summary>Gets the audiobook id.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the edition it is made from (one audiobook per edition and mode).</summary>
    public required Guid EditionId { get; init; }

    /// <summary>Gets what it speaks: chapter summaries (the default) or the chapters' text.</summary>
    public AudioBookMode Mode { get; init; }

    /// <summary>Gets where its words come from: the book's text, or the language model's memory of the book.</summary>
    public AudioBookGrounding Grounding { get; init; }

    /// <summary>Gets the target words per chapter summary chosen for this audiobook; <see langword="null"/> for the configured default (<c>BookBytes:Summary:Words</c>).</summary>
    public int? SummaryWords { get; init; }

    /// <summary>Gets the status.</summary>
    public required AudioBookStatus Status { get; init; }

    /// <summary>Gets the version whose chapters are served; starts at 1.</summary>
    public int Version { get; init; } = 1;

    /// <summary>Gets the version a forced refresh is building, while it builds; the served <see cref="Version"/> stays readable meanwhile.</summary>
    public int? PendingVersion { get; init; }

    /// <summary>Gets the voice the chapters are spoken in.</summary>
    public required string Voice { get; init; }

    /// <summary>Gets the total duration of the stored chapters of <see cref="Version"/>, in seconds.</summary>
    public double TotalDurationSeconds { get; init; }

    /// <summary>Gets the one-file packages last made (of <see cref="AudioBookPackage.Version"/>, which may be older than <see cref="Version"/>); <see langword="null"/> before the first.</summary>
    public AudioBookPackage? Package { get; init; }

    /// <summary>Gets why the audiobook failed or is incomplete, if it is.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Gets what all provider calls for this audiobook used.</summary>
    public UsageTotals Usage { get; init; }

    /// <summary>Gets when it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets the version the pipeline writes to: <see cref="PendingVersion"/> while a forced refresh builds, else <see cref="Version"/>.</summary>
    public int WorkingVersion => PendingVersion ?? Version;
}
