namespace BookBytes.Packaging;

/// <summary>What a packaged audiobook's tags say about the book.</summary>
/// <remarks>An immutable record; safe to share between threads. Values are untrusted text (from a catalog or a document): a packager bounds and cleans them.</remarks>
public sealed record PackageTags
{
    /// <summary>Gets the book's title (the file's title and album).</summary>
    public required string Title { get; init; }

    /// <summary>Gets the authors (the artist), in order.</summary>
    public IReadOnlyList<string> Authors { get; init; } = [];

    /// <summary>Gets the year of publication, when known.</summary>
    public int? Year { get; init; }

    /// <summary>Gets who reads it: the voice's name, for example <c>alloy</c> or <c>flite.slt</c>.</summary>
    public string? Narrator { get; init; }

    /// <summary>Gets the ISO 639-1 language code, for example <c>en</c>.</summary>
    public string Language { get; init; } = "en";

    /// <summary>Gets the publisher, when known.</summary>
    public string? Publisher { get; init; }

    /// <summary>Gets a description (the comment), when known.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the genre; <c>Audiobook</c> unless set.</summary>
    public string Genre { get; init; } = "Audiobook";
}
