namespace BookBytes.AudioBooks;

/// <summary>The one-file packages (M4B, MP3) made of an audiobook version, and which of its chapters they hold.</summary>
/// <remarks>An immutable record stored with the audiobook; safe to share between threads.</remarks>
public sealed record AudioBookPackage
{
    /// <summary>Gets the audiobook version the files were made from.</summary>
    public required int Version { get; init; }

    /// <summary>Gets the numbers of the chapters the files hold, in order: the chapters stored when they were made.</summary>
    public required IReadOnlyList<int> Chapters { get; init; }

    /// <summary>Gets a value indicating whether the files hold every chapter of the version; <see langword="false"/> for a partly made book packaged with what it has.</summary>
    public required bool Complete { get; init; }

    /// <summary>Gets the files' duration in seconds.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>Gets the files, one per format made.</summary>
    public required IReadOnlyList<PackagedFile> Files { get; init; }

    /// <summary>Gets when they were made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
